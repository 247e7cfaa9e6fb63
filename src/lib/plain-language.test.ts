/** Each plain-language hint, and the words that must not trigger one. */
import t from 'tap';
import {
  goalHints,
  hasWordLists,
  LONG_SENTENCE_WORDS,
  plainLanguageHints,
  sentences,
  withLanguageNote,
  wordCount,
  type HintKey,
} from './plain-language.js';

const keys = (text: string) => plainLanguageHints(text).map((h) => h.key);
const words = (text: string, key: HintKey) =>
  plainLanguageHints(text).find((h) => h.key === key)?.words ?? [];
const goalKeys = (text: string, owner: string | null = 'child') =>
  goalHints({ text, owner }).map((h) => h.key);

t.test('"man": the pronoun, not Monday', async (t) => {
  t.same(words('Man må ringe mor.', 'man'), ['Man']);
  t.same(words('Her gjør man det slik.', 'man'), ['man']);
  t.same(keys('Ella arbeider med lekser man–tors kl. 17–18.'), [], 'man–tors is a day range');
  t.same(keys('Trening man. til fre. etter skolen.'), []);
  t.same(keys('Ida har en mandag fri. Manuell telling.'), [], 'part of a longer word');
});

t.test('"snarest", "i rimelig omfang", "i den grad det er mulig"', async (t) => {
  t.same(keys('Skolen tar kontakt snarest.'), ['snarest']);
  t.same(keys('Skolen tar kontakt snarest mulig.'), ['snarest']);
  t.same(keys('Helsesykepleier følger opp i rimelig omfang.'), ['reasonableExtent']);
  t.same(keys('Mor deltar i den grad det er mulig.'), ['extentPossible']);
  t.same(keys('Skolen tar kontakt innen fredag.'), []);
});

t.test('abbreviations: dotted, undotted and acronyms', async (t) => {
  t.same(words('Ida kan f.eks. gå tur, evt. sykle, ca. 20 minutter.', 'abbreviation'), [
    'f.eks.',
    'evt.',
    'ca.',
  ]);
  t.same(words('Møte mht. fravær iht. planen, bl.a. med mor.', 'abbreviation'), ['mht.', 'iht.', 'bl.a.']);
  t.same(words('Vi snakker feks om søvn pga stress.', 'abbreviation'), ['feks', 'pga']);
  t.same(words('Henvisning til PPT og BUP. PPTs rådgiver og PP-tjenesten.', 'abbreviation'), [
    'PPT',
    'BUP',
    'PP',
  ]);
  t.same(keys('Ida ser på TV og skriver SMS, OK?'), [], 'well-known acronyms');
  t.same(keys('Ida og Ola går til Ålesund.'), [], 'names are not acronyms');
  t.same(
    keys('IDA ER PÅ SKOLEN ALLE DAGER OG HAR DET FINT'),
    [],
    'a text in capitals is not a list of acronyms',
  );
  t.same(keys('Mor kjøper blå bla.'), [], 'ordinary short words');
});

t.test('passive -es verbs hide who does it', async (t) => {
  t.same(words('Fraværet skal kartlegges.', 'passive'), ['kartlegges']);
  t.same(words('Det undersøkes om Ida har vondt i magen.', 'passive'), ['undersøkes']);
  t.same(words('Saken vil bli fulgt opp og vurderes.', 'passive'), ['vurderes']);
  t.same(words('Samtalene skal ikke avlyses.', 'passive'), ['avlyses'], 'after a modal, any verb in -es');
  t.same(keys('Ida les boka. Des er fint. Neste ukes møte. Ida skal lese.'), [], 'les, des, ukes, lese');
  t.same(keys('Agnes og Ines går på skolen.'), [], 'names in -es');
  t.same(keys('Legen undersøker Ida.'), [], 'active voice');
});

t.test(`sentences over ${LONG_SENTENCE_WORDS} words`, async (t) => {
  const long = Array.from({ length: LONG_SENTENCE_WORDS + 1 }, (_, i) => `ord${i}`).join(' ') + '.';
  const limit = Array.from({ length: LONG_SENTENCE_WORDS }, (_, i) => `ord${i}`).join(' ') + '.';
  t.same(keys(long), ['longSentence']);
  t.same(keys(limit), [], 'exactly at the limit is fine');
  t.same(keys(`${limit} ${limit}`), [], 'two sentences at the limit are fine');
  t.same(sentences('En. To! Tre?\nFire'), ['En', 'To', 'Tre', 'Fire']);
  t.equal(wordCount('Ida går – alene – til skolen kl. 8.'), 7);
});

t.test('a good text gets no hints', async (t) => {
  t.same(keys('Helsesykepleier har faste samtaler med Ida hver tirsdag i storefriminuttet.'), []);
  t.same(keys(''), []);
});

t.test('goals: A+B+C and owner', async (t) => {
  t.same(goalKeys('Ida er på skolen alle dager.'), [], 'present tense, place, time, observable');
  t.same(goalKeys('Ida skal være på skolen alle dager.'), ['goalTense']);
  t.same(goalKeys('Ida vil komme på skolen hver dag.'), ['goalTense']);
  t.same(goalKeys('Ida spiser frokost.'), ['goalTimePlace'], 'no time or place');
  t.same(goalKeys('Ida har det bedre.'), ['goalTimePlace', 'goalObservable']);
  t.same(
    goalKeys('Ida har det bedre på skolen, og er med venner 3 friminutt i uka.'),
    [],
    'a number makes it observable',
  );
  t.same(goalKeys('Ida er på skolen alle dager.', null), ['goalOwner']);
  t.same(
    goalKeys('Man må gå på skolen snarest.', 'child').slice(0, 2),
    ['man', 'snarest'],
    'plain-language hints too',
  );
  t.same(goalHints({ text: '  ', owner: null }), [], 'nothing to say about an empty goal');
});

t.test(
  'Danish: no hints from the Norwegian word lists, a note instead, and the language-neutral ones',
  async (t) => {
    const da = (text: string) => plainLanguageHints(text, 'da').map((h) => h.key);
    const daGoal = (text: string, owner: string | null = 'child') =>
      goalHints({ text, owner }, 'da').map((h) => h.key);
    t.notOk(hasWordLists('da'));
    t.ok(hasWordLists('nb'));

    const wordy = 'Man kontakter forældrene snarest, f.eks. pr. telefon, og det undersøkes.';
    t.same(keys(wordy), ['man', 'snarest', 'abbreviation', 'passive'], 'in bokmål the word lists fire');
    t.same(da(wordy), [], 'in Danish none of them, and no note when there is nothing to show');

    const long = Array.from({ length: LONG_SENTENCE_WORDS + 1 }, () => 'ord').join(' ') + '.';
    t.same(da(long), ['notInLanguage', 'longSentence'], 'a long sentence is long in any language');
    t.same(da('PPR vurderer Idas sprog.'), ['notInLanguage', 'abbreviation']);
    t.same(
      plainLanguageHints('PPR vurderer Idas sprog.', 'da').find((h) => h.key === 'abbreviation')?.words,
      ['PPR'],
      'acronyms are found by their capitals, not a word list',
    );

    t.same(goalKeys('Ida skal ha det bedre.'), ['goalTense', 'goalTimePlace', 'goalObservable']);
    t.same(
      daGoal('Ida skal ha det bedre.'),
      [],
      'no tense, time/place or observable hints from Norwegian words',
    );
    t.same(
      daGoal('Ida skal ha det bedre.', null),
      ['notInLanguage', 'goalOwner'],
      'whose goal it is: any language',
    );
    t.same(daGoal('', null), [], 'an empty goal gets nothing');
  },
);

t.test('the note comes once, first, and only with other hints', async (t) => {
  t.same(withLanguageNote([], 'da'), []);
  t.same(
    withLanguageNote(
      [
        { key: 'notInLanguage', words: [] },
        { key: 'goalOwner', words: [] },
      ],
      'da',
    ).map((h) => h.key),
    ['notInLanguage', 'goalOwner'],
  );
  t.same(withLanguageNote([{ key: 'notInLanguage', words: [] }], 'da'), []);
  t.same(
    withLanguageNote([{ key: 'goalOwner', words: [] }], 'nb').map((h) => h.key),
    ['goalOwner'],
    'bokmål has the word lists: no note',
  );
});
