/**
 * Statistics: the figures for a unit or an area over a period, read with the summary queries side by
 * side and passed through the small-number rule once; one audit row per page or CSV file viewed (no
 * log id: nothing of any one log is read); and the leader's number of children per school year.
 */
import type { FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../../i18n/index.js';
import type { AuditEntry } from '../../plugins/audit/index.js';
import type { Clock } from '../../types.js';
import { osloDate } from '../../lib/dates.js';
import { EVALUATION_QUESTIONS } from '../../domain/meetings.js';
import { buildSections } from './figures.js';
import type { Filters } from './form.js';
import { schoolYearOf } from './period.js';
import type { Section } from './present.js';
import type { StatisticsRepository, UnitRow } from './repository.js';
import type { Scope, UnitScope } from './scope.js';

export interface StatisticsDeps {
  repository: StatisticsRepository;
  now: Clock;
  audit: (request: FastifyRequest, entry: AuditEntry) => Promise<void>;
}

export interface Reader {
  t: Translate;
  locale: Locale;
}

export interface StatisticsView {
  sections: Section[];
  /** The units the figures cover (after the kind and district filters). */
  units: UnitRow[];
  schoolYear: number;
  today: string;
}

/** The school years a leader can enter a number for: last year, this year and next. */
export function enterableSchoolYears(today: string): number[] {
  const year = schoolYearOf(today);
  return [year + 1, year, year - 1];
}

export function statisticsService({ repository, now, audit }: StatisticsDeps) {
  const today = () => osloDate(now());

  /** The units a scope covers once the filters are applied. */
  async function unitsOf(scope: Scope, filters: Filters | null): Promise<UnitRow[]> {
    const all = await repository.units(scope.municipalityId);
    if (scope.kind === 'unit') return all.filter((u) => u.id === scope.unitId);
    return all.filter(
      (u) =>
        (!scope.unitIds || scope.unitIds.includes(u.id)) &&
        (!filters?.districtId || u.district_id === filters.districtId) &&
        (!filters?.unitKind || u.kind === filters.unitKind),
    );
  }

  return {
    districts(scope: Scope) {
      return scope.kind === 'area' && scope.role === 'admin'
        ? repository.districts(scope.municipalityId)
        : null;
    },

    /** Every figure of the page, protected; `what` says what the audit row records (a page or a CSV file). */
    async figures(
      request: FastifyRequest,
      scope: Scope,
      filters: Filters,
      reader: Reader,
      what: 'view' | 'export',
    ): Promise<StatisticsView> {
      const day = today();
      const units = await unitsOf(scope, filters);
      const { from, to } = filters.period;
      const selection = {
        unitIds: units.map((u) => u.id),
        planType: filters.planType,
        level: filters.level,
        from,
        to,
        today: day,
        byHolder: scope.kind === 'unit',
      };
      const schoolYear = schoolYearOf(to < day ? to : day);
      const [logs, closed, measures, concerns, evaluations, relay, meetings, categories, childCounts] =
        await Promise.all([
          repository.logs(selection),
          repository.months(selection),
          repository.measures(selection),
          repository.concerns(selection),
          repository.evaluations(selection),
          repository.relay(selection),
          repository.meetings(selection, EVALUATION_QUESTIONS),
          repository.categories(scope.municipalityId),
          repository.childCounts(selection.unitIds, schoolYear),
        ]);
      await audit(request, {
        action: `statistics.${what}`,
        objectType: scope.kind === 'unit' ? 'unit' : filters.districtId ? 'district' : 'municipality',
        objectId: scope.kind === 'unit' ? scope.unitId : (filters.districtId ?? scope.municipalityId),
        role: scope.role,
        ...(scope.kind === 'unit' ? { unitId: scope.unitId } : {}),
      });
      const months = [
        ...logs
          .filter((r) => r.set === 'month' && r.key && r.created > 0)
          .map((r) => ({ series: 'created' as const, month: r.key!, n: r.created })),
        ...closed,
        ...measures.missed,
      ];
      const sections = buildSections(
        {
          kind: scope.kind,
          period: filters.period,
          today: day,
          schoolYear,
          units,
          logs,
          months,
          measures: measures.rows,
          concerns,
          evaluations,
          relay,
          meetings,
          categories,
          childCounts,
        },
        reader.t,
        reader.locale,
      );
      return { sections, units, schoolYear, today: day };
    },

    today,

    childCountHistory(scope: UnitScope) {
      return repository.childCountHistory(scope.unitId);
    },

    async saveChildCount(
      request: FastifyRequest,
      scope: UnitScope,
      input: { schoolYear: number; children: number },
    ): Promise<void> {
      await repository.saveChildCount(
        scope.unitId,
        input.schoolYear,
        input.children,
        request.user!.id,
        now(),
      );
      await audit(request, {
        action: 'statistics.children.save',
        objectType: 'unit',
        objectId: scope.unitId,
        role: scope.role,
        unitId: scope.unitId,
      });
    },
  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;
