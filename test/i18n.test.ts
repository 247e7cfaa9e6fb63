/**
 * The message catalogue (src/i18n/locales/*.json, ICU MessageFormat): every message parses, every key is
 * in every locale with the same arguments, plurals cover each language's categories and read right for
 * 0, 1 and 2, every key the code uses exists, no key is unused, the generated key types are up to date,
 * and a missing message fails loudly in tests but never breaks a page in production.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import {
  catalogue,
  DEFAULT_LOCALE,
  intlLocale,
  LOCALES,
  MessageProblemError,
  onMessageProblem,
  translator,
  type MessageProblem,
} from '../src/i18n/index.js';
import { generateMessageTypes, messageArguments, typesFile } from '../scripts/i18n-types.js';
import { Agent, signIn, testApp } from './helpers/app.js';
import { ARENAS, GOAL_STATUSES, OWNERS } from '../src/features/plan/goal-form.js';
import { DECISIONS } from '../src/features/plan/goal-service.js';
import { CONCERN_STATUSES, MAINTAINING } from '../src/features/plan/concern-form.js';
import type { ConsentState } from '../src/features/logs/hints.js';
import { EFFECTS, HAPPENED, NEXT_STEPS } from '../src/features/plan/evaluation-form.js';
import { EVALUATION_QUESTIONS, RESPONDENTS, SCALE } from '../src/features/meetings/form.js';
import { MEETING_PHASES } from '../src/features/meetings/phases.js';
import { NOTICE_KINDS, NOTIFICATION_KINDS } from '../src/features/notifications/kinds.js';
import { CONCERN_CATEGORY_CODES } from '../src/domain/categories.js';
import { PERIOD_CHOICES } from '../src/features/statistics/period.js';
import type { PrintReason } from '../src/features/prints/repository.js';
import type { PdfFailure } from '../src/plugins/pdf.js';
import type { HintKey } from '../src/lib/plain-language.js';
import type { NationalIdProblem } from '../src/lib/national-id.js';
import type { UploadProblem } from '../src/features/notes/pdf.js';
import type { UploadProblem as SignedUploadProblem } from '../src/features/consent-papers/upload.js';
import { LIFE_AREAS, PLAN_TYPES } from '../src/domain/plan.js';
import { UNIT_KINDS } from '../src/domain/organisation.js';
import { MEETING_MODES, MEETING_STATUSES } from '../src/domain/meetings.js';
import { TRANSFER_STATUSES } from '../src/domain/relay.js';
import type { SignInFailure } from '../src/features/auth/oidc-client.js';
import type { LinkProblem } from '../src/features/auth/invitation-service.js';
import type { SignInMethod } from '../src/features/auth/sign-in.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nb = catalogue(DEFAULT_LOCALE);
const keys = Object.keys(nb);

/** The members of a string union, written out once; the compiler checks the list is complete. */
const all = <T extends string>(members: Record<T, true>) => Object.keys(members) as T[];

// ---- the files ----------------------------------------------------------------------------------

t.test('one message file per locale, and every file is a listed locale', async (t) => {
  const files = readdirSync(path.join(root, 'src/i18n/locales')).filter((f) => f.endsWith('.json'));
  t.same(files.map((f) => f.replace(/\.json$/, '')).sort(), [...LOCALES].sort());
  t.ok(keys.length > 1000, `bokmål has the whole catalogue (${keys.length} keys)`);
});

t.test('every message in every locale is valid ICU MessageFormat', async (t) => {
  for (const locale of LOCALES) {
    const broken = Object.entries(catalogue(locale)).flatMap(([key, message]) => {
      try {
        parse(message, { ignoreTag: true, requiresOtherClause: true });
        return [];
      } catch (error) {
        return [`${key}: ${(error as Error).message}`];
      }
    });
    t.same(broken, [], locale);
  }
});

t.test('every key is in every locale, with the same arguments of the same kinds', async (t) => {
  for (const locale of LOCALES.filter((l) => l !== DEFAULT_LOCALE)) {
    const other = catalogue(locale);
    t.same(
      keys.filter((k) => !(k in other)),
      [],
      `${locale} has every bokmål key`,
    );
    t.same(
      Object.keys(other).filter((k) => !(k in nb)),
      [],
      `${locale} has no key bokmål lacks`,
    );
    const differ = keys
      .filter((k) => k in other)
      .filter((k) => {
        const a = [...messageArguments(nb[k]!)].sort();
        const b = [...messageArguments(other[k]!)].sort();
        return JSON.stringify(a) !== JSON.stringify(b);
      });
    t.same(differ, [], `${locale}: same argument names and kinds as bokmål`);
  }
});

/** Every plural in a message: its argument and the categories it writes out. */
function plurals(message: string): { name: string; options: string[] }[] {
  const found: { name: string; options: string[] }[] = [];
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.plural) found.push({ name: el.value, options: Object.keys(el.options) });
      if (el.type === TYPE.plural || el.type === TYPE.select)
        for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return found;
}

t.test("every plural writes out each of its language's plural categories", async (t) => {
  for (const locale of LOCALES) {
    const categories = new Intl.PluralRules(intlLocale(locale)).resolvedOptions().pluralCategories;
    const missing = Object.entries(catalogue(locale)).flatMap(([key, message]) =>
      plurals(message).flatMap((p) =>
        categories.filter((c) => !p.options.includes(c)).map((c) => `${key} {${p.name}} lacks ${c}`),
      ),
    );
    t.same(missing, [], `${locale}: ${categories.join(', ')}`);
  }
});

// ---- counts read right ----------------------------------------------------------------------------

/**
 * Every message that takes a count, and how it must read for one and for more ("#" is the number).
 * A new plural message fails the first test below until it is listed here.
 */
const COUNTS: Record<string, Record<'nb' | 'en', [one: string, other: string]>> = {
  'error.429.body': {
    nb: ['Vent # minutt før', 'Vent # minutter før'],
    en: ['Wait # minute before', 'Wait # minutes before'],
  },
  'login.error.rateLimited': {
    nb: ['Vent # minutt før', 'Vent # minutter før'],
    en: ['Wait # minute before', 'Wait # minutes before'],
  },
  ...Object.fromEntries(
    [
      'err.tooLong',
      'plan.error.tooLong',
      'access.err.tooLong',
      'meeting.err.tooLong',
      'measure.error.stepTooLong',
    ].map((key) => [
      key,
      { nb: ['høyst # tegn', 'høyst # tegn'], en: ['at most # character', 'at most # characters'] },
    ]),
  ),
  'glimmer.err.tooLong': {
    nb: ['høyst # tegn (nå #)', 'høyst # tegn (nå #)'],
    en: ['at most # character (now #)', 'at most # characters (now #)'],
  },
  'note.err.tooLong': {
    nb: ['høyst # tegn (nå #)', 'høyst # tegn (nå #)'],
    en: ['at most # character (now #)', 'at most # characters (now #)'],
  },
  'hint.tooManyGoals': {
    nb: ['har # aktivt mål.', 'har # aktive mål.'],
    en: ['has # active goal.', 'has # active goals.'],
  },
  'goal.new.manyActive': {
    nb: ['allerede # aktivt mål for', 'allerede # aktive mål for'],
    en: ['already has # active goal.', 'already has # active goals.'],
  },
  'measure.error.tooManySteps': {
    nb: ['høyst # trinn', 'høyst # trinn'],
    en: ['at most # step', 'at most # steps'],
  },
  'admin.unitPage.staff': {
    nb: ['har # ansatt.', 'har # ansatte.'],
    en: ['has # staff member.', 'has # staff members.'],
  },
  'meeting.minutes': { nb: ['# minutt', '# minutter'], en: ['# minute', '# minutes'] },
  'meeting.time.range': { nb: ['(# minutt)', '(# minutter)'], en: ['(# minute)', '(# minutes)'] },
  'meeting.time.status': {
    nb: ['om lag # minutt,', 'om lag # minutter,'],
    en: ['about # minute,', 'about # minutes,'],
  },
  'meeting.time.ahead': {
    nb: ['om lag # minutt,', 'om lag # minutter,'],
    en: ['about # minute,', 'about # minutes,'],
  },
  'meeting.time.used': {
    nb: ['av # minutt er brukt', 'av # minutter er brukt'],
    en: ['of # minute used', 'of # minutes used'],
  },
  'meeting.mode.hiddenConcerns': {
    nb: [
      '# løst eller avsluttet oppmerksomhet vises ikke',
      '# løste eller avsluttede oppmerksomheter vises ikke',
    ],
    en: ['# solved or closed concern is not shown', '# solved or closed concerns are not shown'],
  },
  'meeting.eval.count': {
    nb: ['# svar er lagret', '# svar er lagret'],
    en: ['# answer saved', '# answers saved'],
  },
  'print.otherConcerns': {
    nb: [
      '# løst eller avsluttet oppmerksomhet er ikke tatt med.',
      '# løste eller avsluttede oppmerksomheter er ikke tatt med.',
    ],
    en: ['# solved or closed concern is not included.', '# solved or closed concerns are not included.'],
  },
  'relay.importConfirm.counts': {
    nb: ['# mål, # tiltak', '# mål, # tiltak'],
    en: ['# goal, # measure', '# goals, # measures'],
  },
  'relay.err.import.schema.minLength': {
    nb: ['(minst # tegn)', '(minst # tegn)'],
    en: ['(at least # character)', '(at least # characters)'],
  },
  'relay.err.import.schema.maxLength': {
    nb: ['(høyst # tegn)', '(høyst # tegn)'],
    en: ['(at most # character)', '(at most # characters)'],
  },
  'relay.err.import.schema.more': {
    nb: ['og # feil til', 'og # feil til'],
    en: ['and # more error', 'and # more errors'],
  },
  'stats.days': {
    nb: ['# dag', '# dager'],
    en: ['# day', '# days'],
  },
  'stats.err.tooLong': {
    nb: ['høyst # år', 'høyst # år'],
    en: ['at most # year', 'at most # years'],
  },
  'password.hint': {
    nb: ['Minst # tegn.', 'Minst # tegn.'],
    en: ['At least # character.', 'At least # characters.'],
  },
  'password.err.short': {
    nb: ['minst # tegn', 'minst # tegn'],
    en: ['at least # character', 'at least # characters'],
  },
  'password.err.long': {
    nb: ['høyst # tegn', 'høyst # tegn'],
    en: ['at most # character', 'at most # characters'],
  },
  'mail.reset.expires': {
    nb: ['virker i # minutt.', 'virker i # minutter.'],
    en: ['works for # minute.', 'works for # minutes.'],
  },
};

t.test('every message with a plural is listed with how it must read', async (t) => {
  t.same(keys.filter((k) => plurals(nb[k]!).length > 0).sort(), Object.keys(COUNTS).sort());
});

t.test('counts read right for 0, 1 and 2 in every language', async (t) => {
  for (const [key, phrases] of Object.entries(COUNTS)) {
    for (const locale of ['nb', 'en'] as const) {
      const translate = translator(locale) as (key: string, values: Record<string, unknown>) => string;
      const args = messageArguments(catalogue(locale)[key]!);
      for (const n of [0, 1, 2]) {
        const values = Object.fromEntries(
          [...args].map(([name, kind]) => [name, kind === 'number' || kind === 'plural' ? n : `‹${name}›`]),
        );
        const text = translate(key, values);
        const [one, other] = phrases[locale];
        const expected = (n === 1 ? one : other).replaceAll('#', String(n));
        t.ok(text.includes(expected), `${locale} ${key} (${n}): «${text}» says «${expected}»`);
        if (one !== other && n === 1)
          t.notOk(text.includes(other.replaceAll('#', '1')), `${locale} ${key}: not «${other}» for 1`);
      }
    }
  }
});

t.test('the texts that were wrong for a count of one', async (t) => {
  const nbT = translator('nb');
  const enT = translator('en');
  t.equal(nbT('meeting.minutes', { n: 1 }), '1 minutt');
  t.equal(nbT('meeting.minutes', { n: 90 }), '90 minutter');
  t.equal(nbT('print.otherConcerns', { n: 1 }), '1 løst eller avsluttet oppmerksomhet er ikke tatt med.');
  t.equal(nbT('print.otherConcerns', { n: 3 }), '3 løste eller avsluttede oppmerksomheter er ikke tatt med.');
  t.equal(enT('meeting.eval.count', { n: 1 }), '1 answer saved');
  t.equal(enT('meeting.eval.count', { n: 2 }), '2 answers saved');
  t.equal(enT('error.429.body', { minutes: 1 }), 'Wait 1 minute before you try again.');
  // The sign-in wait is told in seconds under a minute, else in minutes: one message, two units.
  t.equal(
    nbT('login.error.rateLimited', { unit: 'second', count: 1 }),
    'For mange mislykkede forsøk. Vent 1 sekund før du prøver igjen.',
  );
  t.equal(
    nbT('login.error.rateLimited', { unit: 'second', count: 30 }),
    'For mange mislykkede forsøk. Vent 30 sekunder før du prøver igjen.',
  );
  t.equal(
    enT('login.error.rateLimited', { unit: 'minute', count: 1 }),
    'Too many failed attempts. Wait 1 minute before you try again.',
  );
  t.equal(
    enT('login.error.rateLimited', { unit: 'minute', count: 5 }),
    'Too many failed attempts. Wait 5 minutes before you try again.',
  );
  t.equal(enT('relay.err.import.schema.more', { count: 1 }), 'and 1 more error');
  // A count that arrives as text (a form value, a template) is still a count.
  t.equal(nbT('meeting.minutes', { n: '1' as unknown as number }), '1 minutt');
});

// ---- keys and code ----------------------------------------------------------------------------------

function files(dir: string, pattern: RegExp, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files(full, pattern, out);
    else if (pattern.test(name)) out.push(full);
  }
  return out;
}

/** The product's code and templates (not the catalogue itself, not tests). */
const sources = [
  ...files(path.join(root, 'src'), /\.ts$/).filter(
    (f) => !f.includes(`${path.sep}i18n${path.sep}`) && !f.endsWith('.test.ts'),
  ),
  ...files(path.join(root, 'views'), /\.eta$/),
].map((file) => ({ file: path.relative(root, file), text: readFileSync(file, 'utf8') }));

const KEYLIKE = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)+$/;
/** Every quoted string in the code that is a key (whole strings and template literals without ${}). */
const literals = new Set(
  sources.flatMap(({ text }) => [...text.matchAll(/(['"`])([A-Za-z0-9_.-]+)\1/g)].map((m) => m[2]!)),
);
/** The fixed start of every key built at run time: 'prefix.' + x, or `prefix.${x}`. */
const builtPrefixes = [
  ...new Set(
    sources.flatMap(({ text }) =>
      [
        ...text.matchAll(/(['"`])([a-z][A-Za-z0-9_.-]*\.)(\1\s*\+|\$\{)/g),
        ...text.matchAll(/`([a-z][A-Za-z0-9_.-]*\.)\$\{/g),
      ].map((m) => (m.length > 3 ? m[2]! : m[1]!)),
    ),
  ),
].filter((prefix) => keys.some((k) => k.startsWith(prefix)));

/** The first argument of every t(...) call, as written. */
function firstArguments(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])(?:it\.|request\.|reader\.)?t\(/g)) {
    let depth = 0;
    let quote = '';
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    found.push(text.slice(start, i).trim());
  }
  return found;
}

t.test('every key the code and templates ask for by name exists in bokmål', async (t) => {
  const asked = sources.flatMap(({ file, text }) =>
    firstArguments(text)
      .filter((arg) => !/\+|\$\{/.test(arg))
      .flatMap((arg) => [...arg.matchAll(/(['"`])([^'"`]+)\1/g)].map((m) => ({ file, key: m[2]! })))
      .filter(({ key }) => KEYLIKE.test(key)),
  );
  t.ok(asked.length > 1000, `found ${asked.length} t('…') calls`);
  t.same(
    asked.filter(({ key }) => !(key in nb)),
    [],
  );
});

const W = ['guardian', 'youth']; // family pages: written to a guardian or to the young person
const STAFF_ROLES = ['holder', 'guardian', 'actor', 'youth'];

/**
 * Keys built at run time: the pattern ("*" is the part that varies) and the values it takes, from the
 * code's own lists where it has them. Only these keys are allowed to appear nowhere by name.
 */
const BUILT: [pattern: string, ...values: readonly (string | number)[][]][] = [
  ['actor.responsible.*', ['guardians', 'child']],
  ['audit.action.*.read', ['goal', 'measure']],
  ['category.*', [...CONCERN_CATEGORY_CODES]],
  ['concern.*', [...MAINTAINING]],
  ['concern.status.*', [...CONCERN_STATUSES]],
  [
    'consent.status.*',
    all<ConsentState>({ active: true, expiring: true, expired: true, withdrawn: true, missing: true }),
  ],
  [
    'consentPapers.err.file.*',
    all<SignedUploadProblem>({
      missing: true,
      empty: true,
      tooLarge: true,
      wrongType: true,
      unreadable: true,
      tooManyPixels: true,
    }),
  ],
  ['date.*', ['day', 'month', 'year']],
  ['error.*.title', [400, 403, 404, 409, 413, 429, 500, 503]],
  ['error.*.body', [400, 403, 404, 409, 413, 429, 500, 503]],
  ['evaluation.effect.*', [...EFFECTS]],
  ['evaluation.happened.*', [...HAPPENED]],
  ['evaluation.next.*', [...NEXT_STEPS]],
  ['family.auditLink.*', W],
  ['family.concerns.*', W],
  ['family.consent.*', ['expired', 'ended']],
  ['family.consent.byYouth.*', W],
  ['family.due.intro.*', W],
  ['family.due.link.*', W],
  ['family.due.title.*', W],
  ['family.effect.*', [...EFFECTS]],
  ['family.effect.legend.*', W],
  ['family.eval.familyEffect.*', W],
  ['family.eval.happened.*', [...HAPPENED]],
  ['family.log.intro.*', W],
  ['family.mf.*.*', ['worldView', 'coping', 'preconditions', 'service', 'home'], W],
  ['family.ownWords.*', W],
  ['family.owner.*.*', [...OWNERS], W],
  ['family.view.hint.*', W],
  ['family.view.intro.*', W],
  ['family.view.title.*', W],
  ['family.who.guardians.*', W],
  ['glimmer.role.*', ['holder', 'leader', 'superuser', 'guardian', 'youth', 'actor', 'read_grant', 'none']],
  ['goal.arena.*', [...ARENAS]],
  ['goal.decision.*', [...DECISIONS]],
  ['goal.decision.next.*', [...DECISIONS]],
  ['goal.owner.*', [...OWNERS]],
  ['goal.status.*', [...GOAL_STATUSES]],
  ['grant.err.endsOn.*', ['missing', 'incomplete', 'invalid', 'past', 'afterConsent']],
  ['grant.state.*', ['active', 'ended', 'withdrawn']],
  [
    'hint.*',
    all<HintKey>({
      notInLanguage: true,
      man: true,
      snarest: true,
      reasonableExtent: true,
      extentPossible: true,
      abbreviation: true,
      passive: true,
      longSentence: true,
      goalTense: true,
      goalTimePlace: true,
      goalObservable: true,
      goalOwner: true,
    }),
  ],
  ['level.*', [1, 2, 3]],
  ['level.*.hint', [1, 2, 3]],
  ['lifeArea.*', [...LIFE_AREAS]],
  ['log.status.*', ['active', 'passive']],
  ['mail.*.subject', [...NOTICE_KINDS]],
  ['mail.*.body', [...NOTICE_KINDS]],
  ['measure.status.*', ['planned', 'ongoing', 'evaluated', 'misregistered']],
  ['meeting.err.*.missing', ['date', 'next']],
  ['meeting.eval.q.*', [...EVALUATION_QUESTIONS]],
  ['meeting.guide.*', [...MEETING_PHASES]],
  ['meeting.kind.*', [...STAFF_ROLES, 'child']],
  ['meeting.mail.*.subject', ['request', 'update', 'cancel']],
  ['meeting.mail.*.body', ['request', 'update', 'cancel']],
  ['meeting.mode.*', [...MEETING_MODES]],
  ['meeting.phase.*', [...MEETING_PHASES]],
  ['meeting.respondent.*', [...RESPONDENTS]],
  ['meeting.saved.*', ['agreements', 'evaluation', 'meeting']],
  ['meeting.scale.*', [...SCALE]],
  ['meeting.status.*', [...MEETING_STATUSES]],
  [
    'nationalId.*',
    all<NationalIdProblem>({
      empty: true,
      length: true,
      digits: true,
      date: true,
      checksum: true,
      synthetic: true,
      format: true,
    }),
  ],
  [
    'note.err.file.*',
    all<UploadProblem>({ missing: true, empty: true, tooLarge: true, notPdf: true, unreadable: true }),
  ],
  ['link.*.title', all<LinkProblem>({ unknown: true, used: true, expired: true })],
  ['planType.*', [...PLAN_TYPES]],
  ['prefs.kind.*', [...NOTIFICATION_KINDS]],
  [
    'print.failed.*',
    all<PdfFailure>({ unavailable: true, timeout: true, busy: true, closed: true, failed: true }),
  ],
  [
    'print.reason.*',
    all<PrintReason>({ meeting: true, yearly: true, transfer: true, closing: true, deletion: true }),
  ],
  ['relay.concern.status.*', ['solved', 'closed']],
  ['relay.err.import.rule.*', ['ref', 'dates', 'responsible', 'evaluation', 'control']],
  [
    'relay.err.import.schema.*',
    [
      'required',
      'additionalProperties',
      'type',
      'enum',
      'const',
      'minLength',
      'maxLength',
      'pattern',
      'minItems',
      'maxItems',
      'oneOf',
    ],
  ],
  ['relay.err.import.schema.format.*', ['date', 'date-time']],
  ['relay.err.import.type.*', ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null']],
  [
    'relay.print.reason.*',
    all<PrintReason>({ meeting: true, yearly: true, transfer: true, closing: true, deletion: true }),
  ],
  ['relay.problem.*', ['consent', 'holderGone', 'logPassive', 'notPending']],
  ['relay.status.*', [...TRANSFER_STATUSES]],
  ['relay.transferPage.decidedBy.*', ['accepted', 'declined', 'withdrawn']],
  ['stats.concerns.*', ['service', 'home', 'child', 'all_three']],
  ['stats.err.*.*', ['from', 'to'], ['missing', 'incomplete', 'invalid']],
  ['stats.period.*', [...PERIOD_CHOICES]],
  ['stats.relay.*', ['expiring', 'expired', 'withdrawn', 'outgoing', 'incoming', 'holderless']],
  [
    'signin.failed.*.*',
    all<SignInFailure>({
      unreachable: true,
      state: true,
      expired: true,
      cancelled: true,
      code: true,
      issuer: true,
      audience: true,
      signature: true,
      nonce: true,
      token_expired: true,
      level: true,
      no_identity: true,
      no_match: true,
      invitation: true,
      invitation_other: true,
      invalid_response: true,
    }),
    ['title', 'body'],
  ],
  ['signin.method.*', all<SignInMethod>({ password: true, idporten: true, municipal: true })],
  ['unit.kind.*', [...UNIT_KINDS]],
];

/**
 * Keys looked up only when they exist (hasMessage): the part after the prefix is a name the code uses
 * (an audited action, a role, a form field, a "?saved=" value), so it must appear in the code.
 */
const LOOKED_UP = ['access.saved.', 'audit.action.', 'audit.role.', 'restore.field.'];

function expand(pattern: string, lists: readonly (string | number)[][]): string[] {
  return lists.reduce<string[]>(
    (keysSoFar, values) => keysSoFar.flatMap((k) => values.map((v) => k.replace('*', String(v)))),
    [pattern],
  );
}
const builtKeys = new Set(BUILT.flatMap(([pattern, ...lists]) => expand(pattern, lists)));

t.test('every key built at run time exists in bokmål', async (t) => {
  t.same(
    [...builtKeys].filter((k) => !(k in nb)),
    [],
  );
});

t.test('every prefix the code builds keys from is listed', async (t) => {
  t.ok(builtPrefixes.length > 30, `found ${builtPrefixes.length} prefixes`);
  const covered = (prefix: string) =>
    BUILT.some(([pattern]) => pattern.startsWith(prefix)) || LOOKED_UP.includes(prefix);
  t.same(
    builtPrefixes.filter((p) => !covered(p)),
    [],
  );
});

t.test('no unused keys', async (t) => {
  const code = sources.map((s) => s.text).join('\n');
  const used = (key: string) => {
    if (literals.has(key) || builtKeys.has(key)) return true;
    const prefix = LOOKED_UP.find((p) => key.startsWith(p));
    if (!prefix) return false;
    const name = key.slice(prefix.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\w.])${name}(?![\\w])`).test(code);
  };
  t.same(
    keys.filter((k) => !used(k)),
    [],
  );
});

t.test('the generated key types are up to date (npm run i18n:types)', async (t) => {
  t.equal(readFileSync(typesFile, 'utf8'), await generateMessageTypes());
});

// ---- formatting and problems ----------------------------------------------------------------------------

t.test('t() fills values; every locale formats its own way', async (t) => {
  t.equal(translator('nb')('home.welcome', { name: 'Kari' }), 'Velkommen, Kari');
  t.equal(translator('en')('home.welcome', { name: 'Kari' }), 'Welcome, Kari');
  t.equal(translator('en')('planType.barnets_plan'), "Child's plan", 'an apostrophe is text');
  // Numbers are grouped from five digits, in each language's way (a no-break space in bokmål).
  t.equal(
    translator('nb')('note.err.tooLong', { max: 2000, count: 12345 }),
    'Notatet kan ha høyst 2000 tegn (nå 12\u00a0345)',
  );
  t.equal(
    translator('en')('note.err.tooLong', { max: 2000, count: 12345 }),
    'The note can have at most 2000 characters (now 12,345)',
  );
  for (const locale of LOCALES) t.equal(translator(locale), translator(locale), `${locale}: one translator`);
});

t.test('by default a missing key or a missing value throws (tests fail loudly)', async (t) => {
  const nbT = translator('nb') as (key: string, values?: Record<string, unknown>) => string;
  t.throws(
    () => nbT('no.such.key'),
    new MessageProblemError({ kind: 'missing', locale: 'nb', key: 'no.such.key' }),
  );
  t.throws(
    () => nbT('home.welcome'),
    new MessageProblemError({ kind: 'format', locale: 'nb', key: 'home.welcome', code: 'MISSING_VALUE' }),
  );
});

t.test('with a handler, a problem is reported without values and the page goes on', async (t) => {
  const problems: MessageProblem[] = [];
  t.teardown(onMessageProblem((p) => problems.push(p)));
  const enT = translator('en') as (key: string, values?: Record<string, unknown>) => string;
  t.equal(enT('no.such.key'), 'no.such.key', 'the key is shown');
  t.equal(
    enT('home.welcome', { nome: 'Kari Nordmann' }),
    'home.welcome',
    'a message without its value shows the key',
  );
  t.same(problems, [
    { kind: 'missing', locale: 'en', key: 'no.such.key' },
    { kind: 'missing', locale: 'nb', key: 'no.such.key' },
    { kind: 'format', locale: 'en', key: 'home.welcome', code: 'MISSING_VALUE' },
  ]);
  t.notMatch(JSON.stringify(problems), /Kari/, 'no values in the report');
  enT('home.welcome', {});
  t.equal(problems.length, 3, 'a format problem is reported once, not on every render');
});

/** A page that asks for a message the catalogue does not have. */
const probe = (app: import('fastify').FastifyInstance) =>
  app.get('/i18n-probe', (_request, reply) => reply.page('errors/error', { status: 418 }));

t.test('a missing message is a 500 in tests', async (t) => {
  const { app } = await testApp(t, {}, { routes: probe });
  const response = await app.inject({ url: '/i18n-probe' });
  t.equal(response.statusCode, 500);
});

t.test('in production a missing message is logged and shown as its key, never a 500', async (t) => {
  const { app } = await testApp(
    t,
    {
      NODE_ENV: 'production',
      SESSION_KEY: 'ab'.repeat(32),
      IDENTITY_KEY: 'e'.repeat(64),
      SECURE_COOKIES: 'false',
    },
    { routes: probe },
  );
  const warnings = t.capture(app.log, 'warn');
  const response = await app.inject({ url: '/i18n-probe', headers: { cookie: 'lang=en' } });
  t.equal(response.statusCode, 200);
  t.match(response.body, /error\.418\.title/);
  const logged = warnings().map((w) => w.args);
  t.ok(logged.length >= 1, 'a warning is logged');
  t.match(logged[0], [{ messageProblem: { kind: 'missing', key: 'error.418.title', locale: 'en' } }, String]);
});

t.test('the language switch offers every other language, each named in itself', async (t) => {
  const { app } = await testApp(t);
  const page = await app.inject({ url: '/login' });
  t.match(page.body, /<html lang="nb">/);
  t.match(
    page.body,
    /<button type="submit" name="lang" value="en" class="link-button" lang="en">English<\/button>/,
  );
  t.notMatch(page.body, /name="lang" value="nb"/, 'not the language already shown');
  const english = await app.inject({ url: '/login', headers: { cookie: 'lang=en' } });
  t.match(english.body, /<html lang="en">/);
  t.match(english.body, /name="lang" value="nb"[^>]*lang="nb">Norsk \(bokmål\)<\/button>/);
  const unknown = await app.inject({ url: '/login', headers: { cookie: 'lang=xx' } });
  t.match(unknown.body, /<html lang="nb">/, 'an unknown language is bokmål');
});

t.test('a confirmation named in the address shows only when it is a message', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  const home = await signIn(agent, 'stafettholder@stafett.example');
  const logs = await agent.get('/logs');
  const logId = /href="\/logs\/(\d+)"/.exec(logs.body)?.[1];
  t.ok(logId, `a log on "Mine logger" (${home.statusCode})`);
  const saved = await agent.get(`/logs/${logId}/grants?saved=grant`);
  t.equal(saved.statusCode, 200);
  t.match(saved.body, /<div class="notice" role="status"><p>Lesetilgangen er gitt\.<\/p>/);
  const made = await agent.get(`/logs/${logId}/grants?saved=nonsense`);
  t.equal(made.statusCode, 200, 'a made-up name is not a missing message');
  t.notMatch(made.body, /class="notice" role="status"/);
});

t.test('the account page shows the language chosen, whichever it is, in that language', async (t) => {
  const { app, db } = await testApp(t);
  for (const locale of LOCALES) {
    const agent = new Agent(app);
    await signIn(agent, 'stafettholder@stafett.example');
    const chosen = await agent.post('/language', { lang: locale, returnTo: '/account' });
    t.equal(chosen.statusCode, 303);
    const page = await agent.get('/account');
    t.equal(page.statusCode, 200);
    t.ok(page.body.includes(`<html lang="${locale}">`), `${locale}: the page in that language`);
    t.ok(
      page.body.includes(`name="lang" type="radio" value="${locale}" checked`),
      `${locale}: chosen on the form`,
    );
  }
  // The other tests read bokmål: nobody's choice stays stored.
  await db('users').where({ email: 'stafettholder@stafett.example' }).update({ locale: null });
});
