/**
 * Statistics pages: a unit's (/units/:unitId/statistics), an area's (/statistics: the municipality by
 * district for the municipal administrator, or every unit a leader leads), each table as a CSV file
 * (…/csv?table=<figure>), and the leader's number of children per school year. All are GET forms that
 * work without JavaScript; a bad period or filter answers 400 with the message next to the field and
 * the typed text back.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate, osloDate } from '../../lib/dates.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { PLAN_TYPES, LEVELS } from '../../domain/plan.js';
import { UNIT_KINDS } from '../../domain/organisation.js';
import { NotFoundError } from '../../plugins/access/index.js';
import { chartSvg } from './charts.js';
import { present, type Value } from './present.js';
import { csvFileName, figureCsv } from './csv.js';
import {
  filterQuery,
  filterValues,
  parseChildCount,
  parseFilters,
  type ChildCountValues,
  type FilterValues,
} from './form.js';
import { PERIOD_CHOICES } from './period.js';
import { enterableSchoolYears, type StatisticsService } from './service.js';
import { areaScope, unitScope, type Scope, type UnitScope } from './scope.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default function statisticsRoutes(service: StatisticsService) {
  return async function routes(instance: FastifyInstance) {
    const app = instance.withTypeProvider<Schemas>();
    const guard = { preHandler: app.requireUser };
    const aUnit = { ...guard, schema: { params: idParams('unitId') } };
    const audit: Parameters<typeof unitScope>[2] = (request, entry) => app.audit(request, entry);

    const base = (scope: Scope) =>
      scope.kind === 'unit' ? `/units/${scope.unitId}/statistics` : '/statistics';

    /** Parses the GET form for a scope; the reader's own districts, if they choose among them. */
    async function read(request: FastifyRequest, scope: Scope) {
      const districts = await service.districts(scope);
      const parsed = parseFilters(request.query, request.t, {
        today: service.today(),
        unitKinds: scope.kind === 'area',
        districts: districts ? districts.map((d) => d.id) : null,
      });
      return { ...parsed, districts };
    }

    async function page(request: FastifyRequest, reply: FastifyReply, scope: Scope) {
      const { values, errors, input, districts } = await read(request, scope);
      const title =
        scope.kind === 'unit'
          ? request.t('stats.title.unit', { unit: scope.unitName })
          : request.t('stats.title.area', { area: areaName(request, scope, districts, values.district) });
      const common = {
        scope,
        title,
        heading:
          scope.kind === 'unit' ? scope.unitName : areaName(request, scope, districts, values.district),
        values,
        errors,
        options: filterOptions(request, scope, districts),
        base: base(scope),
        show: (v: Value) => present(v, request.t, request.locale),
      };
      if (!input) return reply.code(400).page('statistics/page', { ...common, sections: [] });
      const view = await service.figures(request, scope, input, request, 'view');
      const query = filterQuery(values);
      return reply.page('statistics/page', {
        ...common,
        sections: view.sections.map((section) => ({
          ...section,
          figures: section.figures.map((figure) => ({
            ...figure,
            svg: chartSvg(figure, request.t, request.locale),
            csvHref: `${base(scope)}/csv?${filterQuery(values, { table: figure.id })}`,
          })),
        })),
        period: {
          from: formatDate(input.period.from, request.locale),
          to: formatDate(input.period.to, request.locale),
        },
        units: scope.kind === 'area' ? view.units.map((u) => u.name) : [],
        query,
      });
    }

    async function csv(request: FastifyRequest, reply: FastifyReply, scope: Scope) {
      const { input } = await read(request, scope);
      const table = str(asBody(request.query), 'table');
      // A bad filter has no file, nor does a request that names no table: the page (and what was wrong).
      if (!input || !table)
        return reply.redirect(`${base(scope)}?${filterQuery(filterValues(request.query))}`, 303);
      const view = await service.figures(request, scope, input, request, 'export');
      const figure = view.sections.flatMap((s) => s.figures).find((f) => f.id === table);
      if (!figure) throw new NotFoundError();
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'Content-Disposition',
          `attachment; filename="${csvFileName(figure.id, input.period.from, input.period.to)}"`,
        )
        .send(figureCsv(figure, request.t, request.locale));
    }

    app.get('/statistics', guard, async (request, reply) => {
      const scope = await areaScope(request, audit);
      if ('redirect' in scope) return reply.redirect(scope.redirect, 303);
      return page(request, reply, scope);
    });

    app.get('/statistics/csv', guard, async (request, reply) => {
      const scope = await areaScope(request, audit);
      if ('redirect' in scope) return reply.redirect(scope.redirect, 303);
      return csv(request, reply, scope);
    });

    app.get('/units/:unitId/statistics', aUnit, async (request, reply) =>
      page(request, reply, await unitScope(request, request.params.unitId, audit)),
    );

    app.get('/units/:unitId/statistics/csv', aUnit, async (request, reply) =>
      csv(request, reply, await unitScope(request, request.params.unitId, audit)),
    );

    const childrenPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      scope: UnitScope,
      values: ChildCountValues,
      errors: FieldError[],
    ) =>
      reply.page('statistics/children', {
        scope,
        values,
        errors,
        years: enterableSchoolYears(service.today()),
        history: await service.childCountHistory(scope),
        fmt: (d: Date) => formatDate(osloDate(d), request.locale),
        saved: str(asBody(request.query), 'saved') === '1',
      });

    app.get('/units/:unitId/statistics/children', aUnit, async (request, reply) => {
      const scope = await unitScope(request, request.params.unitId, audit);
      const year = enterableSchoolYears(service.today())[1]!;
      return childrenPage(request, reply, scope, { schoolYear: String(year), children: '' }, []);
    });

    app.post('/units/:unitId/statistics/children', aUnit, async (request, reply) => {
      const scope = await unitScope(request, request.params.unitId, audit);
      const { values, errors, input } = parseChildCount(
        request.body,
        request.t,
        enterableSchoolYears(service.today()),
      );
      if (!input) return childrenPage(request, reply.code(422), scope, values, errors);
      await service.saveChildCount(request, scope, input);
      return reply.redirect(`/units/${scope.unitId}/statistics/children?saved=1`, 303);
    });
  };
}

function areaName(
  request: FastifyRequest,
  scope: Scope,
  districts: { id: number; name: string }[] | null,
  districtValue: string,
): string {
  if (scope.kind === 'area' && scope.role === 'leader') return request.t('stats.area.led');
  const municipality = request.user!.municipalityName;
  const district = districts?.find((d) => String(d.id) === districtValue);
  return district
    ? request.t('stats.area.district', { district: district.name, municipality })
    : request.t('stats.area.municipality', { municipality });
}

function filterOptions(
  request: FastifyRequest,
  scope: Scope,
  districts: { id: number; name: string }[] | null,
) {
  const t = request.t;
  const all = { value: '', text: t('stats.filter.all') };
  return {
    periods: PERIOD_CHOICES.map((p) => ({ value: p, text: t(`stats.period.${p}`) })),
    planTypes: [all, ...PLAN_TYPES.map((p) => ({ value: p, text: t(`planType.${p}`) }))],
    levels: [all, ...LEVELS.map((l) => ({ value: String(l), text: t(`level.${l}`) }))],
    unitKinds:
      scope.kind === 'area'
        ? [all, ...UNIT_KINDS.map((k) => ({ value: k, text: t(`unit.kind.${k}`) }))]
        : null,
    districts: districts
      ? [
          { value: '', text: t('stats.filter.allDistricts') },
          ...districts.map((d) => ({ value: String(d.id), text: d.name })),
        ]
      : null,
  };
}

export type { FilterValues };
