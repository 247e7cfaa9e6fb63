/**
 * Plain-language hints for goals and measures (DOMAIN.md, "Guidance"): soft hints, never blockers.
 * Pure functions: text in, a list of hints out. Each hint has a key (a message in the catalogue,
 * "hint.<key>") and the words that triggered it, so the hint can say what to look at.
 *
 * The word lists follow the language the writer reads the interface in: bokmål, and nynorsk with its
 * own rules (passive is "blir/vert + participle", s-passive only after a modal as "-ast"; "ein" is the
 * generic pronoun; "snarast", "mogleg", "kvar" …). English gets bokmål's lists (the plan's texts are
 * Norwegian whatever the reader's interface). For a language they do not fit (Danish), only the hints that
 * do not depend on the language are given (long sentences, acronyms, whose goal it is), after a note
 * saying so.
 */
import type { Locale } from '../i18n/locales.js';

export type HintKey =
  | 'notInLanguage'
  | 'man'
  | 'snarest'
  | 'reasonableExtent'
  | 'extentPossible'
  | 'abbreviation'
  | 'passive'
  | 'longSentence'
  | 'goalTense'
  | 'goalTimePlace'
  | 'goalObservable'
  | 'goalOwner';

export interface Hint {
  key: HintKey;
  /** The words in the text that triggered the hint (empty for hints about what is missing). */
  words: string[];
}

export const LONG_SENTENCE_WORDS = 25;

/** Interface languages whose writers' texts the Norwegian word lists do not fit. */
const WITHOUT_WORD_LISTS: ReadonlySet<Locale> = new Set<Locale>(['da']);

/** Whether the word-list hints ("man", passives, tense …) apply to texts written in this language. */
export function hasWordLists(locale: Locale): boolean {
  return !WITHOUT_WORD_LISTS.has(locale);
}

/** Hints for a language without word lists start with the note that the others are not available. */
export function withLanguageNote(hints: Hint[], locale: Locale): Hint[] {
  const plain = hints.filter((h) => h.key !== 'notInLanguage');
  return plain.length && !hasWordLists(locale) ? [{ key: 'notInLanguage', words: [] }, ...plain] : plain;
}

// Word boundaries that know Norwegian letters (\b only knows ASCII).
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const word = (pattern: string, flags = 'giu') => new RegExp(`${B}(?:${pattern})${E}`, flags);

/** "man" as a pronoun, not "man–tors" or "man. til fre." (Monday). */
const MAN =
  /(?<![\p{L}\p{N}])man(?![\p{L}\p{N}])(?!\.?\s*[-–/]\s*\p{L})(?!\.?\s+(?:til|og)\s+(?:tir|ons|tor|fre|lør|søn))/giu;
const SNAREST = word('snarest');
const REASONABLE_EXTENT = word('i\\s+rimelig\\s+omfang');
const EXTENT_POSSIBLE = word('i\\s+den\\s+grad\\s+det\\s+er\\s+mulig');

/** Written abbreviations with dots, and the same written without. */
const DOTTED = [
  'f.eks.',
  'f. eks.',
  'ca.',
  'evt.',
  'mht.',
  'iht.',
  'bl.a.',
  'osv.',
  'dvs.',
  'ifm.',
  'ift.',
  'vha.',
  'pga.',
  'mtp.',
  'm.m.',
  'o.l.',
  'jf.',
  'jfr.',
  'etc.',
  'kap.',
  'nr.',
  'stk.',
  'tlf.',
  'obs.',
];
const UNDOTTED = ['feks', 'evt', 'mht', 'iht', 'osv', 'dvs', 'ifm', 'ift', 'vha', 'pga', 'mtp', 'ca'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*');
const DOTTED_RE = new RegExp(`${B}(?:${DOTTED.map(escape).join('|')})`, 'giu');
// Undotted forms only in lower case ("ca" and "bla" are otherwise ordinary words in other languages).
const UNDOTTED_RE = new RegExp(`${B}(?:${UNDOTTED.join('|')})${E}(?!\\.)`, 'gu');
/** Acronyms: two or more capitals (PPT, BUP, NAV, PP-tjenesten, PPTs). */
const ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}{2,}(?!\p{Lu})(?=s?(?![\p{L}\p{N}])|-)/gu;
/** Acronyms everyone knows; not worth a hint. */
const WELL_KNOWN = new Set(['OK', 'TV', 'PC', 'SMS']);

/** Passive verbs in -es that hide who does something. */
const KNOWN_PASSIVES = [
  'undersøkes',
  'vurderes',
  'kartlegges',
  'gjennomføres',
  'følges',
  'tilrettelegges',
  'iverksettes',
  'avklares',
  'drøftes',
  'utredes',
  'henvises',
  'innhentes',
  'etableres',
  'evalueres',
  'avtales',
  'innkalles',
  'observeres',
  'tilbys',
  'gis',
  'tas',
  'settes',
  'sendes',
  'meldes',
  'kontaktes',
];
const MODALS = ['skal', 'vil', 'må', 'kan', 'bør', 'skulle', 'ville', 'kunne', 'måtte', 'burde', 'det']
  .flatMap((m) => [m, m[0]!.toUpperCase() + m.slice(1)])
  .join('|');
const PASSIVE_KNOWN_RE = word(KNOWN_PASSIVES.join('|'));
/** A lower-case word in -es (at least five letters, so "les", "des" and "ukes" stay out) after a modal or "det". */
const PASSIVE_AFTER_RE = new RegExp(
  `${B}(?:${MODALS})\\s+(?:ikke\\s+|også\\s+|først\\s+|snart\\s+)?(\\p{Ll}{3,}es)${E}`,
  'gu',
);

/** Nynorsk: "man" is not nynorsk at all, and "ein" is the pronoun when a verb follows it at once. */
const MAN_NN = new RegExp(
  `${MAN.source}|${B}ein(?=\\s+(?:må|skal|bør|kan|vil|får|har|gjer|ser|veit|treng|prøver|tek|finn)${E})`,
  'giu',
);
const SNAREST_NN = word('snarast|snarest');
const REASONABLE_EXTENT_NN = word('i\\s+rimel(?:e|i)g\\s+omfang');
const EXTENT_POSSIBLE_NN = word('(?:i\\s+den\\s+grad|så\\s+langt)\\s+det\\s+er\\s+(?:mogleg|mulig)');

/** Nynorsk abbreviations (t.d., m.a., osb., m.o.t. …) and the bokmål ones a nynorsk text also meets. */
const DOTTED_NN = [
  't.d.',
  't. d.',
  'm.a.',
  'osb.',
  'm.o.t.',
  'i.h.t.',
  'p.g.a.',
  'o.a.',
  'm.fl.',
  ...DOTTED.filter((d) => !['bl.a.', 'osv.'].includes(d)),
];
const UNDOTTED_NN = ['td', 'osb', 'evt', 'dvs', 'ifm', 'ift', 'pga', 'mtp', 'ca', 'feks', 'mht', 'iht'];
const DOTTED_NN_RE = new RegExp(`${B}(?:${DOTTED_NN.map(escape).join('|')})`, 'giu');
const UNDOTTED_NN_RE = new RegExp(`${B}(?:${UNDOTTED_NN.join('|')})${E}(?!\\.)`, 'gu');

/**
 * Nynorsk passive: "blir/vert/vart/blei (blitt) + participle" ("blir vurdert", "vart gjennomført"),
 * and the s-passive in "-ast" after a modal ("skal kartleggjast", "må vurderast").
 */
const PARTICIPLES_NN =
  '\\p{Ll}*(?:ert|ført|sett|sendt|meldt|gjort|lagd|lagt|følgd|følgt|avklart|avtalt|undersøkt|kartlagd|kartlagt|tilvist|kalla|henta|drøfta|kontakta|gjeve|gitt|teke|tatt|tilboden|tilbode)';
const PASSIVE_BLIR_NN = new RegExp(
  `${B}(?:blir|bli|vert|verte|vart|blei|blitt|vorte)\\s+(?:ikkje\\s+|også\\s+|først\\s+|snart\\s+)?((?:${PARTICIPLES_NN}))${E}`,
  'giu',
);
const MODALS_NN = ['skal', 'vil', 'må', 'kan', 'bør', 'skulle', 'ville', 'kunne', 'måtte', 'burde']
  .flatMap((m) => [m, m[0]!.toUpperCase() + m.slice(1)])
  .join('|');
/** A lower-case word in -ast after a modal (at least five letters: "kast", "last" stay out). */
const PASSIVE_AFTER_NN = new RegExp(
  `${B}(?:${MODALS_NN})\\s+(?:ikkje\\s+|også\\s+|først\\s+|snart\\s+)?(\\p{Ll}{3,}ast)${E}`,
  'gu',
);

/** Sentences: split at . ! ? followed by a space or the end, and at line breaks. */
export function sentences(text: string): string[] {
  return text
    .split(/[.!?]+(?=\s|$)|\n+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function wordCount(sentence: string): number {
  return (sentence.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).length;
}

function matches(re: RegExp, text: string, group = 0): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(re)) {
    const value = (m[group] ?? m[0]).trim();
    if (value && !found.some((f) => f.toLowerCase() === value.toLowerCase())) found.push(value);
  }
  return found;
}

function acronyms(text: string): string[] {
  // A text in capitals throughout is shouting, not a list of acronyms.
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length > 0 && letters === letters.toUpperCase() && letters.length > 12) return [];
  return matches(ACRONYM, text).filter((a) => !WELL_KNOWN.has(a));
}

/** What each hint looks for in one language. A hint a language has no rule for is left out. */
interface LanguageRules {
  man: RegExp;
  snarest: RegExp;
  reasonableExtent: RegExp;
  extentPossible: RegExp;
  abbreviations: RegExp[];
  /** Each with the passive verb as group 1, or the whole match. */
  passives: [re: RegExp, group: number][];
}

const BOKMAL: LanguageRules = {
  man: MAN,
  snarest: SNAREST,
  reasonableExtent: REASONABLE_EXTENT,
  extentPossible: EXTENT_POSSIBLE,
  abbreviations: [DOTTED_RE, UNDOTTED_RE],
  passives: [
    [PASSIVE_KNOWN_RE, 0],
    [PASSIVE_AFTER_RE, 1],
  ],
};

const NYNORSK: LanguageRules = {
  man: MAN_NN,
  snarest: SNAREST_NN,
  reasonableExtent: REASONABLE_EXTENT_NN,
  extentPossible: EXTENT_POSSIBLE_NN,
  abbreviations: [DOTTED_NN_RE, UNDOTTED_NN_RE],
  passives: [
    [PASSIVE_BLIR_NN, 1],
    [PASSIVE_AFTER_NN, 1],
  ],
};

const RULES: Partial<Record<Locale, LanguageRules>> = { nb: BOKMAL, nn: NYNORSK };
const rulesFor = (locale: Locale): LanguageRules | null =>
  hasWordLists(locale) ? (RULES[locale] ?? BOKMAL) : null;

/** The hints about a text by the rules of the writer's language (none of the word-list ones without). */
function textHints(text: string, rules: LanguageRules | null): Hint[] {
  const hints: Hint[] = [];
  const add = (key: HintKey, words: string[]) => {
    if (words.length) hints.push({ key, words });
  };
  if (rules) {
    add('man', matches(rules.man, text));
    add('snarest', matches(rules.snarest, text));
    add('reasonableExtent', matches(rules.reasonableExtent, text));
    add('extentPossible', matches(rules.extentPossible, text));
  }
  add('abbreviation', [
    ...(rules?.abbreviations ?? []).flatMap((re) => matches(re, text)),
    ...acronyms(text),
  ]);
  if (rules)
    add(
      'passive',
      rules.passives
        .flatMap(([re, group]) => matches(re, text, group))
        .filter((w, i, all) => all.findIndex((o) => o.toLowerCase() === w.toLowerCase()) === i),
    );
  const long = sentences(text).filter((s) => wordCount(s) > LONG_SENTENCE_WORDS);
  if (long.length) hints.push({ key: 'longSentence', words: [] });
  return hints;
}

/** Hints about the language of any plan text (goals, measures), by the rules of the writer's language. */
export function plainLanguageHints(text: string, locale: Locale = 'nb'): Hint[] {
  return remember('text', locale, text, () => withLanguageNote(textHints(text, rulesFor(locale)), locale));
}

/**
 * The hints are asked for on every render of every goal and measure of a plan (the log page of a
 * full plan: some eighty texts), and the texts seldom change: the answers are kept for the most
 * recent texts, per language (in this process's memory only). Callers get their own copy.
 */
const REMEMBERED = 2000;
const rememberedHints = { text: new Map<string, Hint[]>(), goal: new Map<string, Hint[]>() };
function remember(
  kind: keyof typeof rememberedHints,
  locale: Locale,
  text: string,
  make: () => Hint[],
): Hint[] {
  const remembered = rememberedHints[kind];
  const key = `${locale}\u0000${text}`;
  let hints = remembered.get(key);
  if (hints === undefined) {
    hints = make();
    if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, hints);
  }
  return hints.map((h) => ({ key: h.key, words: [...h.words] }));
}

/** Future or wish instead of present tense: "skal", "vil", "kommer til å" … */
const NOT_PRESENT = word('skal|vil|skulle|ville|bør|kommer\\s+til\\s+å|ønsker\\s+å|håper\\s+å');
/** Time or place: "på skolen", "hjemme", "alle dager", "kl. 17", weekdays, "i friminuttet" … */
const TIME_OR_PLACE = new RegExp(
  `${B}(?:på|hjemme|ute|inne|hver|hvert|alle|daglig|ukentlig|innen|etter|før|kl|klokka|klokken|` +
    `i\\s+(?:timen|timene|klassen|friminutt\\p{L}*|barnehagen|skolen|helg\\p{L}*|ferien|uk\\p{L}*|gymmen)|` +
    `om\\s+(?:morgenen|kvelden|dagen|ettermiddagen|natta|natten)|` +
    `mandag\\p{L}*|tirsdag\\p{L}*|onsdag\\p{L}*|torsdag\\p{L}*|fredag\\p{L}*|lørdag\\p{L}*|søndag\\p{L}*|` +
    `man|tirs?|ons|tors?|fre|hverdag\\p{L}*|helg\\p{L}*|uke\\p{L}*|måned\\p{L}*|` +
    `januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|jul|påske|sommer\\p{L}*)${E}|\\d`,
  'iu',
);
/** Words that say how someone feels rather than what can be seen. */
const VAGUE = word('bedre|dårligere|trives|trivsel|fungerer|fungere|mer|mindre|ok|bra|godt|fint|greit');

/** Nynorsk: the same three checks with nynorsk words ("kjem til å", "heime", "kvar", "veke", "betre" …). */
const NOT_PRESENT_NN = word('skal|vil|skulle|ville|bør|kjem\\s+til\\s+å|ønskjer\\s+å|håpar\\s+å');
const TIME_OR_PLACE_NN = new RegExp(
  `${B}(?:på|heime|ute|inne|kvar|kvart|alle|dagleg|vekentleg|innan|etter|før|kl|klokka|` +
    `i\\s+(?:timen|timane|klassen|friminutt\\p{L}*|barnehagen|skulen|helg\\p{L}*|ferien|vek\\p{L}*|gymmen)|` +
    `om\\s+(?:morgonen|kvelden|dagen|ettermiddagen|natta)|` +
    `måndag\\p{L}*|tysdag\\p{L}*|onsdag\\p{L}*|torsdag\\p{L}*|fredag\\p{L}*|laurdag\\p{L}*|sundag\\p{L}*|søndag\\p{L}*|` +
    `mån|tys|ons|tors?|fre|kvardag\\p{L}*|helg\\p{L}*|veke\\p{L}*|vek\\p{L}*|månad\\p{L}*|` +
    `januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|jul|påske|sommar\\p{L}*)${E}|\\d`,
  'iu',
);
const VAGUE_NN = word(
  'betre|dårlegare|trivst|trivast|trivsel|fungerer|fungere|meir|mindre|ok|bra|godt|fint|greitt',
);

interface GoalRules {
  notPresent: RegExp;
  timeOrPlace: RegExp;
  vague: RegExp;
}
const GOAL_RULES: Partial<Record<Locale, GoalRules>> = {
  nb: { notPresent: NOT_PRESENT, timeOrPlace: TIME_OR_PLACE, vague: VAGUE },
  nn: { notPresent: NOT_PRESENT_NN, timeOrPlace: TIME_OR_PLACE_NN, vague: VAGUE_NN },
};

/** Hints for a goal: the plain-language ones, plus A+B+C (present tense, time/place, how it looks) and owner. */
export function goalHints(
  goal: { text: string; owner: string | null | undefined },
  locale: Locale = 'nb',
): Hint[] {
  const hints = remember('goal', locale, goal.text, () => goalTextHints(goal.text, locale));
  if (goal.text.trim() && !goal.owner) hints.push({ key: 'goalOwner', words: [] });
  return withLanguageNote(hints, locale);
}

/** A goal's hints that depend on its text (and language) alone. */
function goalTextHints(goalText: string, locale: Locale): Hint[] {
  const text = goalText.trim();
  const lists = rulesFor(locale);
  const hints = textHints(text, lists);
  if (!text) return hints;
  const rules = lists ? (GOAL_RULES[locale] ?? GOAL_RULES.nb!) : null;
  if (rules) {
    const future = matches(rules.notPresent, text);
    if (future.length) hints.push({ key: 'goalTense', words: future });
    if (!rules.timeOrPlace.test(text)) hints.push({ key: 'goalTimePlace', words: [] });
    const vague = matches(rules.vague, text);
    if (vague.length && !/\d/.test(text)) hints.push({ key: 'goalObservable', words: vague });
  }
  return hints;
}

/** The two hint functions bound to one language, for the plan templates. */
export interface PlanHints {
  goal: (goal: { text: string; owner: string | null | undefined }) => Hint[];
  text: (text: string) => Hint[];
}
const bound = new Map<Locale, PlanHints>();
export function planHintsFor(locale: Locale): PlanHints {
  let hints = bound.get(locale);
  if (!hints) {
    hints = { goal: (goal) => goalHints(goal, locale), text: (text) => plainLanguageHints(text, locale) };
    bound.set(locale, hints);
  }
  return hints;
}
