/** The notice preferences form: only the whole form may turn notices off. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parsePreferences, PREFERENCES_FORM } from './form.js';

const nb = translator('nb');

t.test('the whole form: the ticked kinds, or none', async (t) => {
  t.same(
    parsePreferences({ [PREFERENCES_FORM]: '1', enabled: ['deadline_soon', 'weekly_glimmer'] }, nb).input,
    {
      enabled: ['deadline_soon', 'weekly_glimmer'],
    },
  );
  t.same(parsePreferences({ [PREFERENCES_FORM]: '1', enabled: 'deadline_soon' }, nb).input, {
    enabled: ['deadline_soon'],
  });
  t.same(parsePreferences({ [PREFERENCES_FORM]: '1' }, nb).input, { enabled: [] }, 'nothing ticked: all off');
});

t.test('without the marker (an empty or cut-off post) nothing is turned off', async (t) => {
  for (const body of [{}, { enabled: 'deadline_soon' }, { [PREFERENCES_FORM]: 'yes' }])
    t.same(parsePreferences(body, nb).errors, [{ text: nb('error.incompleteForm'), href: '#enabled' }]);
  t.equal(parsePreferences({}, nb).input, null);
});
