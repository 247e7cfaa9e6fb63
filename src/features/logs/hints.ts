/**
 * Guidance shown as hints on the log page, never blockers: each active concern should have a measure
 * in the service, at home and for the child; at most three active goals; every goal says whose it is;
 * no measure past its deadline without evaluation; consent not about to expire; IP life areas first.
 */
import type { MessageKey } from '../../i18n/index.js';
import { addDays } from '../../lib/dates.js';
import type { ConcernView } from '../../domain/plan-tree.js';

export interface Hint {
  key: MessageKey;
  params: Record<string, string | number>;
  href: string;
}

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57).trimEnd()}…` : text);

export function planHints(input: {
  concerns: ConcernView[];
  today: string;
  consentValidUntil: string | null;
  consentWithdrawn: boolean;
  isIndividualPlan: boolean;
  lifeAreasFilled: boolean;
  formatDate: (iso: string) => string;
}): Hint[] {
  const hints: Hint[] = [];
  const active = input.concerns.filter((c) => c.status === 'active');
  if (input.isIndividualPlan && !input.lifeAreasFilled) {
    hints.push({ key: 'hint.lifeAreasFirst', params: {}, href: '#life-areas' });
  }
  for (const c of active) {
    const measures = c.goals.flatMap((g) => g.measures).filter((m) => m.status !== 'evaluated');
    const href = `#concern-${c.id}`;
    const title = short(c.title);
    if (!measures.some((m) => m.responsible === 'actor'))
      hints.push({ key: 'hint.concernNoService', params: { title }, href });
    if (!measures.some((m) => m.responsible === 'guardians'))
      hints.push({ key: 'hint.concernNoHome', params: { title }, href });
    if (!measures.some((m) => m.responsible === 'child'))
      hints.push({ key: 'hint.concernNoChild', params: { title }, href });
  }
  const activeGoals = active.flatMap((c) => c.goals).filter((g) => g.status === 'active');
  if (activeGoals.length > 3)
    hints.push({ key: 'hint.tooManyGoals', params: { count: activeGoals.length }, href: '#concerns' });
  for (const g of activeGoals) {
    if (!g.owner)
      hints.push({ key: 'hint.goalNoOwner', params: { text: short(g.text) }, href: `#goal-${g.id}` });
  }
  for (const c of active) {
    for (const m of c.goals.flatMap((g) => g.measures)) {
      if (m.status !== 'evaluated' && m.deadline < input.today) {
        hints.push({
          key: 'hint.overdue',
          params: { text: short(m.text), date: input.formatDate(m.deadline) },
          href: `#measure-${m.id}`,
        });
      }
    }
  }
  if (
    !input.consentWithdrawn &&
    input.consentValidUntil &&
    input.consentValidUntil >= input.today &&
    input.consentValidUntil <= addDays(input.today, 30)
  ) {
    hints.push({
      key: 'hint.consentExpiring',
      params: { date: input.formatDate(input.consentValidUntil) },
      href: '#consent',
    });
  }
  return hints;
}

export type ConsentState = 'active' | 'expiring' | 'expired' | 'withdrawn' | 'missing';

export function consentState(
  consent: { valid_until: string; withdrawn_at: Date | null } | undefined,
  today: string,
): ConsentState {
  if (!consent) return 'missing';
  if (consent.withdrawn_at) return 'withdrawn';
  if (consent.valid_until < today) return 'expired';
  if (consent.valid_until <= addDays(today, 30)) return 'expiring';
  return 'active';
}
