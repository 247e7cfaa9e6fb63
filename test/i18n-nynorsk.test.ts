/**
 * Nynorsk reads right where a count changes the words (the bokmål and English table is in
 * i18n.test.ts): every plural message, for 0, 1 and 2, with nynorsk's own plurals ("minutt", "dagar",
 * "oppmerksemder"). And the nynorsk catalogue keeps to the chosen norm: no bokmål forms that nynorsk
 * does not have ("ikke", "hva", "hvordan", "fra", "bare", …) and never "bekymring".
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { projectRoot } from '../src/lib/project-root.js';
import { catalogue, DEFAULT_LOCALE, translator } from '../src/i18n/index.js';
import { messageArguments } from '../scripts/i18n-types.js';

const tooLong = ['høgst # teikn', 'høgst # teikn'] as const;

/** How each plural message must read in nynorsk, for one and for more ("#" is the number). */
const COUNTS: Record<string, readonly [one: string, other: string]> = {
  'error.429.body': ['Vent # minutt før', 'Vent # minutt før'],
  'login.error.rateLimited': ['Vent # minutt før', 'Vent # minutt før'],
  'err.tooLong': tooLong,
  'plan.error.tooLong': tooLong,
  'access.err.tooLong': tooLong,
  'meeting.err.tooLong': tooLong,
  'measure.error.stepTooLong': tooLong,
  'glimmer.err.tooLong': ['høgst # teikn (no #)', 'høgst # teikn (no #)'],
  'note.err.tooLong': ['høgst # teikn (no #)', 'høgst # teikn (no #)'],
  'hint.tooManyGoals': ['har # aktivt mål.', 'har # aktive mål.'],
  'goal.new.manyActive': ['alt # aktivt mål for', 'alt # aktive mål for'],
  'measure.error.tooManySteps': ['høgst # trinn', 'høgst # trinn'],
  'admin.unitPage.staff': ['har # tilsett.', 'har # tilsette.'],
  'meeting.minutes': ['# minutt', '# minutt'],
  'meeting.time.range': ['(# minutt)', '(# minutt)'],
  'meeting.time.status': ['om lag # minutt,', 'om lag # minutt,'],
  'meeting.time.ahead': ['om lag # minutt,', 'om lag # minutt,'],
  'meeting.time.used': ['av # minutt er brukt', 'av # minutt er brukt'],
  'meeting.mode.hiddenConcerns': [
    '# løyst eller avslutta oppmerksemd blir',
    '# løyste eller avslutta oppmerksemder blir',
  ],
  'meeting.eval.count': ['# svar er lagra', '# svar er lagra'],
  'print.otherConcerns': [
    '# løyst eller avslutta oppmerksemd er ikkje',
    '# løyste eller avslutta oppmerksemder er ikkje',
  ],
  'relay.importConfirm.counts': ['# mål, # tiltak', '# mål, # tiltak'],
  'relay.err.import.schema.minLength': ['(minst # teikn)', '(minst # teikn)'],
  'relay.err.import.schema.maxLength': ['(høgst # teikn)', '(høgst # teikn)'],
  'relay.err.import.schema.more': ['og # feil til', 'og # feil til'],
  'stats.days': ['# dag', '# dagar'],
  'stats.err.tooLong': ['høgst # år', 'høgst # år'],
  'password.hint': ['Minst # teikn.', 'Minst # teikn.'],
  'password.err.short': ['minst # teikn', 'minst # teikn'],
  'password.err.long': ['høgst # teikn', 'høgst # teikn'],
  'mail.reset.expires': ['verkar i # minutt.', 'verkar i # minutt.'],
};

const nn = catalogue('nn');

t.test('every plural message is listed with how it reads in nynorsk', async (t) => {
  const nb = catalogue(DEFAULT_LOCALE);
  const plural = Object.keys(nb).filter((k) => [...messageArguments(nb[k]!).values()].includes('plural'));
  t.same(plural.sort(), Object.keys(COUNTS).sort());
});

t.test('nynorsk counts read right for 0, 1 and 2', async (t) => {
  const translate = translator('nn') as (key: string, values: Record<string, unknown>) => string;
  for (const [key, [one, other]] of Object.entries(COUNTS)) {
    const args = messageArguments(nn[key]!);
    for (const n of [0, 1, 2]) {
      const values = Object.fromEntries(
        [...args].map(([name, kind]) => [
          name,
          kind === 'number' || kind === 'plural' ? n : name === 'unit' ? 'minute' : `‹${name}›`,
        ]),
      );
      const text = translate(key, values);
      const expected = (n === 1 ? one : other).replaceAll('#', String(n));
      t.ok(text.includes(expected), `${key} (${n}): «${text}» says «${expected}»`);
    }
  }
  t.equal(
    translator('nn')('login.error.rateLimited', { unit: 'second', count: 30 }),
    'For mange mislukka forsøk. Vent 30 sekund før du prøver igjen.',
  );
});

/** Bokmål words the chosen nynorsk norm does not have. */
const BOKMAL_ONLY =
  /(?<![\p{L}])(ikke|hva|hvem|hvordan|hvorfor|hvis|hvor|fra|bare|noen|noe|jeg|dere|deres|mye|skrevet|ble|lagret|endret|slettet|tjeneste\p{L}*|virksomhet\p{L}*|foresatt\p{L}*|stafettholder\p{L}*|oppmerksomhet\p{L}*|enhet\p{L}*)(?![\p{L}])/iu;

t.test('the nynorsk catalogue keeps to nynorsk', async (t) => {
  const found = Object.entries(nn)
    .filter(([, text]) => BOKMAL_ONLY.test(text))
    .map(([key, text]) => `${key}: ${BOKMAL_ONLY.exec(text)![0]} in «${text}»`);
  t.same(found, []);
});

t.test('the nynorsk help pages keep to nynorsk, and there is one for each bokmål page', async (t) => {
  const folder = (locale: string) => path.join(projectRoot, 'views', 'help', locale);
  t.same(readdirSync(folder('nn')).sort(), readdirSync(folder('nb')).sort());
  const found = readdirSync(folder('nn')).flatMap((file) =>
    readFileSync(path.join(folder('nn'), file), 'utf8')
      .split('\n')
      .filter((line) => BOKMAL_ONLY.test(line.replace(/<[^>]*>/g, ' ')))
      .map((line) => `${file}: ${line.trim()}`),
  );
  t.same(found, []);
});

t.test('the check finds bokmål', async (t) => {
  const nb = Object.values(catalogue(DEFAULT_LOCALE)).filter((text) => BOKMAL_ONLY.test(text));
  t.ok(nb.length > 500, `${nb.length} bokmål messages have a word nynorsk does not`);
});
