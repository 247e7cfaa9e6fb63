/**
 * The relay's lists: the kinds and statuses of a transfer, how a log ends, and the consent notices. Migrations
 * keep their own literal copies (test/domain-lists.test.ts checks them against the database's constraints).
 */
export const TRANSFER_KINDS = ['internal', 'unit'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const TRANSFER_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const CLOSURE_KINDS = ['closed', 'left_behind'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

export const CONSENT_NOTICE_KINDS = ['expiring', 'expired'] as const;
export type ConsentNoticeKind = (typeof CONSENT_NOTICE_KINDS)[number];
