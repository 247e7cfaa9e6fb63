/**
 * The consent paperwork's lists: what a signed form was uploaded as (a PDF scan, or a JPEG or PNG photo
 * turned into a PDF). Migrations keep their own literal copies (test/domain-lists.test.ts checks them).
 */
export const SIGNED_FORM_SOURCES = ['pdf', 'jpeg', 'png'] as const;
export type SignedSource = (typeof SIGNED_FORM_SOURCES)[number];
