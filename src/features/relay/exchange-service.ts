/**
 * Export to another municipality or a system without Stafett, and import of such a file here as a new
 * log, made only when the importer registers the family's consent (the create-log form's fields and
 * rules). Who is responsible for the file's staff measures is decided by the importer.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { osloDate } from '../../lib/dates.js';
import type { FieldError } from '../../lib/form.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import type { LogsService, CreateLogParsed, CreateLogValues } from '../logs/index.js';
import type { PrintsService } from '../prints/index.js';
import type { ExchangeRepository } from './exchange-repository.js';
import type { DbHandles } from '../../db/handles.js';
import { actorNames, toDocument, type ExportDocument } from './export-format.js';
import { archiveLog } from './archive.js';

export interface ActorChoice {
  name: string;
  field: string;
  value: string;
}

/** What the service needs. */
export type ExchangeDeps = Pick<FastifyInstance, 'now' | 'audit' | 'pdf' | 'log'> &
  Pick<DbHandles, 'transaction'> & {
    repository: ExchangeRepository;
    prints: PrintsService;
    logs: LogsService;
  };

export function exchangeService(deps: ExchangeDeps) {
  const { repository } = deps;

  return {
    async exportDocument(
      request: FastifyRequest,
      access: LogAccess,
      concernIds: number[],
      reason: string,
    ): Promise<ExportDocument> {
      const [head, rows] = await Promise.all([
        repository.head(access.log.id),
        repository.readPlan(access.log.id, concernIds),
      ]);
      const document = toDocument(rows, {
        exportedAt: deps.now().toISOString(),
        source: {
          system: 'Stafett',
          municipality: head.municipality_name,
          unit: head.unit_name,
          holder: head.holder_name,
        },
        reason,
        child: { firstName: head.first_name, lastName: head.last_name, birthDate: head.birth_date },
        plan: {
          type: head.plan_type,
          level: head.level,
          startupNote: head.startup_note,
          createdOn: osloDate(head.created_at),
        },
      });
      await deps.audit(request, {
        action: 'log.export',
        objectType: 'log',
        objectId: access.log.id,
        logId: access.log.id,
        role: access.role,
      });
      // The transfer record: what the log held when it was handed on.
      await archiveLog(deps, request, access.log.id, 'transfer');
      return document;
    },

    /** The PDF of the chosen concerns only, to hand over with the file. */
    async exportPdf(request: FastifyRequest, access: LogAccess, concernIds: number[]): Promise<Buffer> {
      const { prints } = deps;
      const only: LogAccess = {
        ...access,
        rel: { ...access.rel, actorConcernIds: [], grantConcernIds: concernIds },
        can: (action, target) => action !== 'log.readAll' && access.can(action, target),
      };
      const view = await prints.printView(request, only, { reason: 'transfer', madeBy: request.user!.name });
      const html = await prints.documentHtml(view);
      await deps.audit(request, {
        action: 'log.export.pdf',
        objectType: 'log',
        objectId: access.log.id,
        logId: access.log.id,
        role: access.role,
      });
      return deps.pdf.render({ html }, { header: view.title });
    },

    async storeUpload(request: FastifyRequest, document: ExportDocument): Promise<string> {
      const id = randomUUID();
      await repository.insertImport({
        id,
        user_id: request.user!.id,
        document: JSON.stringify(document),
        created_at: deps.now(),
      });
      return id;
    },

    /** The uploaded file, for the person who uploaded it only. */
    async findUpload(
      request: FastifyRequest,
      id: string,
    ): Promise<{ id: string; document: ExportDocument; log_id: number | null }> {
      const row = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
        ? await repository.findImport(id, request.user!.id)
        : undefined;
      if (!row) throw new NotFoundError();
      return row;
    },

    staff: (municipalityId: number) => repository.staffOfMunicipality(municipalityId),

    /** One select per staff name in the file: a same-named colleague if there is exactly one, else the importer. */
    actorChoices(
      document: ExportDocument,
      staff: { id: number; name: string }[],
      importerId: number,
      posted?: Record<string, string>,
    ): ActorChoice[] {
      return actorNames(document).map((name, i) => {
        const field = `actor${i + 1}`;
        const same = staff.filter((s) => s.name.toLowerCase() === name.toLowerCase());
        return {
          name,
          field,
          value: posted?.[field] ?? String(same.length === 1 ? same[0]!.id : importerId),
        };
      });
    },

    /** The chosen people, checked: each one a staff member here, and one active measure per person per concern (rule 4). */
    checkActors(
      document: ExportDocument,
      choices: ActorChoice[],
      staffIds: number[],
      t: (key: 'relay.err.actor' | 'relay.err.actorTwice') => string,
    ) {
      const errors: FieldError[] = [];
      const ids = new Map<string, number>();
      for (const c of choices) {
        const id = Number(c.value);
        if (!staffIds.includes(id)) errors.push({ text: t('relay.err.actor'), href: `#${c.field}` });
        else ids.set(c.name, id);
      }
      if (errors.length === 0) {
        for (const concern of document.concerns) {
          const seen = new Map<number, string>();
          for (const m of concern.goals.flatMap((g) => g.measures)) {
            if (m.responsible !== 'actor' || m.status === 'evaluated') continue;
            const id = ids.get(m.responsibleName!)!;
            const other = seen.get(id);
            if (other !== undefined && other !== m.responsibleName) {
              const field = choices.find((c) => c.name === m.responsibleName)!.field;
              if (!errors.some((e) => e.href === `#${field}`))
                errors.push({ text: t('relay.err.actorTwice'), href: `#${field}` });
            }
            seen.set(id, m.responsibleName!);
          }
        }
      }
      return { errors, ids };
    },

    /** Creates the log with consent (the logs feature's own create), then writes the file's plan into it. */
    async importLog(
      request: FastifyRequest,
      upload: { id: string; document: ExportDocument },
      values: CreateLogValues,
      parsed: CreateLogParsed,
      actorIds: Map<string, number>,
    ): Promise<{ logId: number } | { errors: FieldError[]; existingLogId?: number } | { redirect: string }> {
      const user = request.user!;
      const created = await deps.logs.createLog(request, { ...values, formToken: upload.id }, parsed);
      if (!('logId' in created)) return created;
      const categories = new Map(
        (await repository.categoryIds(user.municipalityId)).map((c) => [c.label, c.id]),
      );
      try {
        await deps.transaction(async (trx) => {
          await repository.writePlan(trx, created.logId, user.id, upload.document, actorIds, categories);
          await repository.markImported(trx, upload.id, created.logId);
          await deps.audit(
            request,
            {
              action: 'log.import',
              objectType: 'log',
              objectId: created.logId,
              logId: created.logId,
              role: 'holder',
              unitId: parsed.unitId,
            },
            trx,
          );
        });
      } catch (error) {
        // The log was made in its own transaction: take it away again, so a failed import leaves nothing.
        await repository.deleteLog(created.logId);
        throw error;
      }
      return created;
    },
  };
}

export type ExchangeService = ReturnType<typeof exchangeService>;
