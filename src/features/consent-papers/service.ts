/**
 * The consent paperwork of a log (DOMAIN.md rule 2; the guide: "Skriv ut samtykke og få underskrifter"):
 * the consent form and the information letter, filled in with the child, the guardians, the services
 * and the period of a consent, printed as tagged PDF (PDF/UA, as the plan print) in one of eight
 * document languages with fonts that cover their scripts; and the signed form, uploaded as a PDF or a
 * photo, stored with the consent it documents. Printing, uploading and downloading are audited.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { viewsDir } from '../../plugins/views.js';
import { ageOn, osloDate } from '../../lib/dates.js';
import {
  DOCUMENT_LANGUAGE_INFO,
  type ConsentDocument,
  type DocumentLanguage,
} from '../../domain/document-languages.js';
import type { FormSubmissions } from '../../db/handles.js';
import { intlLocale, isLocale } from '../../i18n/index.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import type { ConsentPapersRepository, PaperworkConsent } from './repository.js';
import { documentTranslator } from './texts.js';
import { signedFilename, STORED_MAX_BYTES, toSignedPdf, type UploadProblem } from './upload.js';
import type { Upload } from '../../lib/uploads.js';

/** The stylesheet of the two documents, inlined (nothing is fetched while printing). */
let documentCss: string | null = null;
const css = () =>
  (documentCss ??= readFileSync(path.join(viewsDir, 'consent-papers', 'document.css'), 'utf8'));

/**
 * Intl's locale for dates and lists in a document language: an interface language's own tag (English as
 * written in Norway: en-GB), else the document language's tag.
 */
const intlTag = (language: DocumentLanguage) =>
  isLocale(language) ? intlLocale(language) : DOCUMENT_LANGUAGE_INFO[language].lang;

export type Paperwork = Awaited<ReturnType<ConsentPapersRepository['paperwork']>>;

/** What the service needs. */
export type ConsentPapersDeps = Pick<FastifyInstance, 'now' | 'audit' | 'config' | 'pdf' | 'view'> & {
  repository: ConsentPapersRepository;
  forms: FormSubmissions;
};

export function consentPapersService(deps: ConsentPapersDeps) {
  const { repository } = deps;
  const youthAge = deps.config.youthConsentAge;

  const audit = (
    request: FastifyRequest,
    a: LogAccess,
    action: string,
    objectType: string,
    objectId: number,
  ) => deps.audit(request, { action, objectType, objectId, logId: a.log.id, role: a.role, unitId: a.unitId });

  /** What a document shows, in its language. */
  function documentView(
    data: Paperwork,
    consent: PaperworkConsent,
    language: DocumentLanguage,
    document: ConsentDocument,
  ) {
    const log = data.log!;
    const info = DOCUMENT_LANGUAGE_INFO[language];
    const translate = documentTranslator(language);
    // In a right-to-left document, names and dates in other scripts are isolated (FSI … PDI), each on
    // its own, so the bidi algorithm does not reorder the text around them.
    const rtl = info.dir === 'rtl';
    const isolate = (v: string) => (rtl && !v.startsWith('\u2068') ? `\u2068${v}\u2069` : v);
    const text: typeof translate = rtl
      ? (key, values) =>
          translate(
            key,
            values &&
              Object.fromEntries(
                Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? isolate(v) : v]),
              ),
          )
      : translate;
    const intl = intlTag(language);
    const dates = new Intl.DateTimeFormat(intl, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const date = (iso: string) => dates.format(new Date(`${iso.slice(0, 10)}T12:00:00Z`));
    const child = `${log.first_name} ${log.last_name}`;
    const planType = translate(`planType.${log.plan_type}`);
    const guardians = data.guardians.map((g) => g.name);
    const title = `${text(document === 'form' ? 'form.title' : 'letter.title', { planType })} – ${child}`;
    return {
      document,
      lang: info.lang,
      dir: info.dir,
      title,
      css: css(),
      text,
      child,
      planType,
      birthDate: date(log.birth_date),
      today: date(deps.now().toISOString()),
      guardians,
      guardianList: new Intl.ListFormat(intl, { type: 'conjunction' }).format(guardians.map(isolate)),
      services: consent.services.map((kind) => translate(`service.${kind}`)),
      servicesNote: consent.services_note,
      holder: { name: log.holder_name, unit: log.unit_name },
      actors: data.actors,
      from: date(consent.given_on),
      to: date(consent.valid_until),
      youthAge,
      youthSigns: ageOn(log.birth_date, osloDate(deps.now())) >= youthAge,
      // Lines to sign on: one per registered guardian, at least two.
      signatureLines: Math.max(2, guardians.length),
    };
  }

  return {
    /** The log's paperwork: the data of the documents, the consents and the signed forms. */
    async paperwork(logId: number): Promise<Paperwork> {
      const data = await repository.paperwork(logId);
      if (!data.log) throw new NotFoundError();
      return data;
    },

    /** One document as a tagged PDF; the print is audited against the consent it is for. */
    async print(
      request: FastifyRequest,
      a: LogAccess,
      data: Paperwork,
      input: { consentId: number; language: DocumentLanguage; document: ConsentDocument },
    ): Promise<{ pdf: Buffer; filename: string }> {
      const consent = data.consents.find((c) => c.id === input.consentId);
      if (!consent) throw new NotFoundError();
      const view = documentView(data, consent, input.language, input.document);
      const html = (await deps.view('consent-papers/document', view)) as string;
      const pdf = await deps.pdf.render({ html });
      await audit(request, a, 'consent_paper.print', 'consent', consent.id);
      const name = input.document === 'form' ? 'samtykkeerklaering' : 'informasjonsbrev';
      return { pdf, filename: `${name}-${a.log.id}-${input.language}.pdf` };
    },

    /** The HTML a document is printed from (for checks of its markup). */
    async documentHtml(
      data: Paperwork,
      consentId: number,
      language: DocumentLanguage,
      document: ConsentDocument,
    ) {
      const consent = data.consents.find((c) => c.id === consentId);
      if (!consent) throw new NotFoundError();
      return (await deps.view(
        'consent-papers/document',
        documentView(data, consent, language, document),
      )) as string;
    },

    /** Stores the signed form (a photo as a PDF) with its consent; the problem when it cannot. */
    async storeSigned(
      request: FastifyRequest,
      a: LogAccess,
      input: { consentId: number; formToken: string },
      upload: Upload,
    ): Promise<{ ok: true; id: number } | { ok: false; problem: UploadProblem }> {
      const user = request.user!;
      // A repeat of a form already stored (a double click) goes where the first went, unconverted.
      const earlier = Number(await deps.forms.previousResult(input.formToken, user.id));
      if (earlier) return { ok: true, id: earlier };
      const converted = await toSignedPdf(upload.data);
      if (!converted.ok) return converted;
      if (converted.pdf.length > STORED_MAX_BYTES) return { ok: false, problem: 'tooLarge' };
      const done = await deps.forms.once(input.formToken, user.id, async (trx) => {
        const created = await repository.insertSignedForm(trx, {
          consent_id: input.consentId,
          log_id: a.log.id,
          filename: signedFilename(upload.filename || 'signert-samtykke.pdf'),
          source: converted.source,
          content: converted.pdf,
          sha256: createHash('sha256').update(converted.pdf).digest('hex'),
          uploaded_by: user.id,
          created_at: deps.now(),
        });
        await deps.audit(
          request,
          {
            action: 'consent_signed_form.create',
            objectType: 'consent_signed_form',
            objectId: created,
            logId: a.log.id,
            role: a.role,
            unitId: a.unitId,
          },
          trx,
        );
        return String(created);
      });
      return { ok: true, id: Number(done.result) };
    },

    /** A signed form's PDF; every download is audited. */
    async download(request: FastifyRequest, a: LogAccess, signedId: number | null) {
      const file = signedId ? await repository.signedFormContent(a.log.id, signedId) : undefined;
      if (!file) throw new NotFoundError();
      await audit(request, a, 'consent_signed_form.download', 'consent_signed_form', file.id);
      return file;
    },
  };
}

export type ConsentPapersService = ReturnType<typeof consentPapersService>;
