/** Each plain-language hint, and the words that must not trigger one. */
import t from 'tap';
import {
  goalHints,
  LONG_SENTENCE_WORDS,
  plainLanguageHints,
  sentences,
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

// ---- nynorsk: the same hints by nynorsk rules ---------------------------------------------------

const nnKeys = (text: string) => plainLanguageHints(text, 'nn').map((h) => h.key);
const nnWords = (text: string, key: HintKey) =>
  plainLanguageHints(text, 'nn').find((h) => h.key === key)?.words ?? [];
const nnGoalKeys = (text: string, owner: string | null = 'child') =>
  goalHints({ text, owner }, 'nn').map((h) => h.key);

t.test('nynorsk: "ein" as the generic pronoun, and "man"', async (t) => {
  t.same(nnWords('Ein må ringje mor.', 'man'), ['Ein']);
  t.same(nnWords('Her gjer ein det slik, og ein skal ringje.', 'man'), ['ein'], 'before a verb');
  t.same(nnWords('Her skal ein ringje mor.', 'man'), [], '"ein" after the verb is left alone');
  t.same(nnWords('Ein kan ringje mor.', 'man'), ['Ein']);
  t.same(nnWords('Man må ringje mor.', 'man'), ['Man'], '"man" is not nynorsk');
  t.same(nnKeys('Ida har ein god ven. Ein lærar ringjer.'), [], 'the article "ein" before a noun');
  t.same(nnKeys('Ella arbeider med lekser man–tors kl. 17–18.'), [], 'man–tors is a day range');
});

t.test('nynorsk: "snarast", "i rimeleg omfang", "så langt det er mogleg"', async (t) => {
  t.same(nnKeys('Skulen tek kontakt snarast.'), ['snarest']);
  t.same(nnKeys('Helsesjukepleiaren følgjer opp i rimeleg omfang.'), ['reasonableExtent']);
  t.same(nnKeys('Mor deltek så langt det er mogleg.'), ['extentPossible']);
  t.same(nnKeys('Mor deltek i den grad det er mogleg.'), ['extentPossible']);
  t.same(nnKeys('Skulen tek kontakt innan fredag.'), []);
});

t.test('nynorsk: abbreviations', async (t) => {
  t.same(nnWords('Ida kan t.d. gå tur, evt. sykle, ca. 20 minutt.', 'abbreviation'), ['t.d.', 'evt.', 'ca.']);
  t.same(nnWords('Møte m.a. med mor, osb.', 'abbreviation'), ['m.a.', 'osb.']);
  t.same(nnWords('Vi snakkar td om søvn pga stress.', 'abbreviation'), ['td', 'pga']);
  t.same(nnWords('Tilvising til PPT og BUP.', 'abbreviation'), ['PPT', 'BUP']);
  t.same(nnKeys('Ida går mot skulen med ei bok.'), [], '"mot" is a word');
});

t.test('nynorsk: passive is "blir + participle" and "-ast" after a modal', async (t) => {
  t.same(nnWords('Fråværet skal kartleggjast.', 'passive'), ['kartleggjast']);
  t.same(nnWords('Det blir undersøkt om Ida har vondt i magen.', 'passive'), ['undersøkt']);
  t.same(nnWords('Saka vart vurdert og skal ikkje avlysast.', 'passive'), ['vurdert', 'avlysast']);
  t.same(nnWords('Tiltaket vert gjennomført i veke 12.', 'passive'), ['gjennomført']);
  t.same(nnKeys('Ida blir betre. Ida blir glad. Ida blir heime.'), [], '"blir" with an adjective or place');
  t.same(nnKeys('Legen undersøkjer Ida.'), [], 'active voice');
  t.same(nnKeys('Ida skal lese. Ho kan kaste ballen.'), [], 'ordinary infinitives');
  t.same(nnKeys('Ida kan vurderes.'), [], 'the bokmål s-passive is not a nynorsk rule');
});

t.test('nynorsk: a good text gets no hints', async (t) => {
  t.same(nnKeys('Helsesjukepleiaren har faste samtalar med Ida kvar tysdag i storefriminuttet.'), []);
});

t.test('nynorsk goals: A+B+C with nynorsk words', async (t) => {
  t.same(nnGoalKeys('Ida er på skulen alle dagar.'), [], 'present tense, place, time');
  t.same(nnGoalKeys('Ida skal vere på skulen alle dagar.'), ['goalTense']);
  t.same(nnGoalKeys('Ida kjem til å vere heime om kvelden.'), ['goalTense']);
  t.same(nnGoalKeys('Ida et frukost.'), ['goalTimePlace'], 'no time or place');
  t.same(nnGoalKeys('Ida les kvar måndag.'), [], '"kvar måndag" is a time');
  t.same(nnGoalKeys('Ida har det betre.'), ['goalTimePlace', 'goalObservable']);
  t.same(nnGoalKeys('Ida er heime.', null), ['goalOwner']);
});

t.test('a language without lists of its own gets bokmål’s; bokmål is the default', async (t) => {
  t.same(
    plainLanguageHints('Fraværet skal kartlegges.', 'en'),
    plainLanguageHints('Fraværet skal kartlegges.'),
  );
  t.same(
    plainLanguageHints('Fraværet skal kartleggjast.', 'nb'),
    [],
    'a nynorsk passive is not a bokmål rule',
  );
});
