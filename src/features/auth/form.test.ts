/** The sign-in form: an e-mail address and a password; only the address is handed back. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseLogin } from './form.js';

const nb = translator('nb');

t.test('an address and a password', async (t) => {
  t.same(parseLogin({ email: ' kari@example.no ', password: ' hemmelig ' }, nb), {
    values: { email: 'kari@example.no' },
    errors: [],
    input: { email: 'kari@example.no', password: ' hemmelig ' },
  });
});

t.test('both missing, or an address that cannot be one; the password never comes back', async (t) => {
  t.same(parseLogin({}, nb), {
    values: { email: '' },
    errors: [
      { text: nb('login.error.email'), href: '#email' },
      { text: nb('login.error.password'), href: '#password' },
    ],
    input: null,
  });
  const wrong = parseLogin({ email: 'kari', password: 'x' }, nb);
  t.same(wrong.errors, [{ text: nb('login.error.invalid'), href: '#email' }]);
  t.same(wrong.values, { email: 'kari' });
  t.equal(
    parseLogin({ email: `${'x'.repeat(250)}@e.no`, password: 'x' }, nb).input,
    null,
    'over 254 characters',
  );
});

t.test('a password is cut at 1000 characters and must be a string', async (t) => {
  t.equal(
    parseLogin({ email: 'kari@example.no', password: 'x'.repeat(5000) }, nb).input?.password.length,
    1000,
  );
  t.same(parseLogin({ email: 'kari@example.no', password: ['a', 'b'] }, nb).errors, [
    { text: nb('login.error.password'), href: '#password' },
  ]);
});
