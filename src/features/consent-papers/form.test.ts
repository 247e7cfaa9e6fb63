/** The consent paperwork's forms: what to print, and which consent a signed form is for. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parsePrint, parseSignedFields } from './form.js';

const nb = translator('nb');

t.test('a print: language, consent of this log and document', async (t) => {
  t.same(parsePrint({ language: 'ar', consent: '7', document: 'letter' }, nb, { consentIds: [7, 8] }).input, {
    language: 'ar',
    consentId: 7,
    document: 'letter',
  });
});

t.test('each problem next to its field, values as sent', async (t) => {
  const result = parsePrint({ language: 'xx', consent: '9', document: 'poster' }, nb, { consentIds: [7] });
  t.equal(result.input, null);
  t.same(
    result.errors.map((e) => e.href),
    ['#language', '#print-consent', '#print-form'],
  );
  t.same(result.values, { language: 'xx', consent: '9', document: 'poster' });
  t.same(
    parsePrint({ language: ['nb', 'en'], consent: '7 OR 1=1', document: 'form' }, nb, {
      consentIds: [7],
    }).errors.map((e) => e.href),
    ['#print-consent'],
    'a consent that is not a number of this log',
  );
});

t.test('the consent of a signed form must be one of the log', async (t) => {
  t.same(parseSignedFields({ consent: '8' }, nb, { consentIds: [7, 8] }).input, {
    consentId: 8,
    formToken: '',
  });
  const token = '6f1c2b8e-1d2a-4b7e-9c3d-2a1b0c9d8e7f';
  t.same(
    parseSignedFields({ consent: '7', formToken: token }, nb, { consentIds: [7] }).input,
    { consentId: 7, formToken: token },
    'the one-time token of the form comes along',
  );
  const wrong = parseSignedFields({ consent: '99' }, nb, { consentIds: [7, 8] });
  t.equal(wrong.input, null);
  t.same(wrong.errors, [{ text: nb('consentPapers.err.consent'), href: '#signed-consent' }]);
});
