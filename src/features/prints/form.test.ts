/** The make-a-print form: reason, meeting and language, each with its default. */
import t from 'tap';
import { parseMakePrint } from './form.js';

t.test('what was chosen', async (t) => {
  t.same(parseMakePrint({ reason: 'yearly', meetingId: '12', lang: 'en' }, 'nb').input, {
    reason: 'yearly',
    meetingId: 12,
    locale: 'en',
  });
});

t.test('defaults: a meeting print, no meeting, the pages’ language; never an error', async (t) => {
  for (const body of [
    {},
    { reason: 'secret', meetingId: '12 OR 1=1', lang: 'klingon' },
    { meetingId: '0' },
  ]) {
    const result = parseMakePrint(body, 'nn');
    t.same(result.errors, []);
    t.same(result.input, { reason: 'meeting', meetingId: null, locale: 'nn' });
  }
  t.same(parseMakePrint({ reason: 'secret', lang: 'klingon' }, 'nb').values, {
    reason: 'secret',
    meetingId: '',
    lang: 'klingon',
  });
});
