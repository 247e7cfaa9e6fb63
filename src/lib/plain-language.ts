/**
 * Plain-language hints for goals and measures (DOMAIN.md, "Guidance"): soft hints, never blockers.
 * Pure functions: text in, a list of hints out. Each hint has a key (a message in the catalogue,
 * "hint.<key>") and the words that triggered it, so the hint can say what to look at.
 */
export type HintKey =
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

/**
 * The hints are asked for on every render of every goal and measure of a plan (the log page of a
 * full plan: some eighty texts), and the texts seldom change: the answers are kept for the most
 * recent texts (in this process's memory only). Callers get their own copy.
 */
const REMEMBERED = 2000;
const rememberedHints = { text: new Map<string, Hint[]>(), goal: new Map<string, Hint[]>() };
function remember(kind: keyof typeof rememberedHints, text: string, make: () => Hint[]): Hint[] {
  const remembered = rememberedHints[kind];
  let hints = remembered.get(text);
  if (hints === undefined) {
    hints = make();
    if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(text, hints);
  }
  return hints.map((h) => ({ key: h.key, words: [...h.words] }));
}

/** Hints about the language of any plan text (goals, measures). */
export function plainLanguageHints(text: string): Hint[] {
  return remember('text', text, () => textHints(text));
}

function textHints(text: string): Hint[] {
  const hints: Hint[] = [];
  const add = (key: HintKey, words: string[]) => {
    if (words.length) hints.push({ key, words });
  };
  add('man', matches(MAN, text));
  add('snarest', matches(SNAREST, text));
  add('reasonableExtent', matches(REASONABLE_EXTENT, text));
  add('extentPossible', matches(EXTENT_POSSIBLE, text));
  add('abbreviation', [...matches(DOTTED_RE, text), ...matches(UNDOTTED_RE, text), ...acronyms(text)]);
  add(
    'passive',
    [...matches(PASSIVE_KNOWN_RE, text), ...matches(PASSIVE_AFTER_RE, text, 1)].filter(
      (w, i, all) => all.findIndex((o) => o.toLowerCase() === w.toLowerCase()) === i,
    ),
  );
  const long = sentences(text).filter((s) => wordCount(s) > LONG_SENTENCE_WORDS);
  if (long.length) hints.push({ key: 'longSentence', words: [] });
  return hints;
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

/** Hints for a goal: the plain-language ones, plus A+B+C (present tense, time/place, how it looks) and owner. */
export function goalHints(goal: { text: string; owner: string | null | undefined }): Hint[] {
  const hints = remember('goal', goal.text, () => goalTextHints(goal.text));
  if (goal.text.trim() && !goal.owner) hints.push({ key: 'goalOwner', words: [] });
  return hints;
}

/** A goal's hints that depend on its text alone. */
function goalTextHints(goalText: string): Hint[] {
  const text = goalText.trim();
  const hints = textHints(text);
  if (!text) return hints;
  const future = matches(NOT_PRESENT, text);
  if (future.length) hints.push({ key: 'goalTense', words: future });
  if (!TIME_OR_PLACE.test(text)) hints.push({ key: 'goalTimePlace', words: [] });
  const vague = matches(VAGUE, text);
  if (vague.length && !/\d/.test(text)) hints.push({ key: 'goalObservable', words: vague });
  return hints;
}
