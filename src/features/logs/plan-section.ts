/**
 * The plan section of the log page, the print view and meeting mode: the log's details, the plan tree
 * (the concerns this person sees), guardians, the consent in force, life areas (individual plan) and
 * the plan's hints. Loaded as parts of the page's one statement (sections.ts).
 */
import { ageOn, formatDate } from '../../lib/dates.js';
import type { Knex } from 'knex';
import { logsRepository } from './repository.js';
import { assembleTree, planRepository } from './plan-repository.js';
import { consentState, planHints } from './hints.js';
import { section } from './sections.js';

export function planSection(db: Knex) {
  const logs = logsRepository(db);
  const plans = planRepository(db);
  return section({
    parts: ({ access, concernIds }) => ({
      ...logs.pageParts(access.log.id, access.log.plan_type === 'individuell_plan'),
      ...plans.treeParts(access.log.id, concernIds),
    }),
    build(data, { request, access, today, concernIds }) {
      const detail = data.detail!;
      const concerns = assembleTree(data, {
        concernIds,
        guardiansLabel: request.t('log.guardians'),
        childName: detail.first_name,
      });
      const { consent, guardians } = data;
      const lifeAreas = detail.plan_type === 'individuell_plan' ? data.lifeAreas : [];
      const fmt = (iso: string) => formatDate(iso, request.locale);
      const hints =
        detail.status === 'active' && (access.can('log.write') || access.rel.isHolder)
          ? planHints({
              concerns,
              today,
              consentValidUntil: consent?.valid_until ?? null,
              consentWithdrawn: Boolean(consent?.withdrawn_at),
              isIndividualPlan: detail.plan_type === 'individuell_plan',
              lifeAreasFilled: lifeAreas.some((a) => a.going_well || a.wishes),
              formatDate: fmt,
            })
          : [];
      return {
        detail,
        age: ageOn(detail.birth_date, today),
        concerns,
        guardians,
        consent,
        consentState: consentState(consent, today),
        lifeAreas,
        hints,
        today,
      };
    },
  });
}

export type PlanSection = ReturnType<typeof planSection>;
export type PlanPage = ReturnType<PlanSection['build']>;
