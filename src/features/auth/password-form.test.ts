/** The password forms: length rules, the repeat, not the e-mail address; the reset request's address. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseNewPassword, parseResetRequest, PASSWORD_MAX, PASSWORD_MIN } from './password-form.js';

const nb = translator('nb');
const parse = (password: string, repeat = password, email: string | null = 'kari@example.no') =>
  parseNewPassword({ password, passwordRepeat: repeat }, nb, { email });

t.test('a long enough password typed twice is taken as it is', async (t) => {
  const passphrase = '  hest batteri stift korrekt  ';
  const result = parse(passphrase);
  t.same(result.errors, []);
  t.same(result.input, { password: passphrase }, 'not trimmed: spaces are part of a password');
  t.same(result.values, {}, 'nothing to send back to the page');
});

t.test('too short, too long, missing: one message on the password field', async (t) => {
  t.same(
    parse('').errors.map((e) => e.href),
    ['#password'],
  );
  t.match(parse('').errors[0]!.text, /Skriv et passord/);
  const short = parse('x'.repeat(PASSWORD_MIN - 1));
  t.match(short.errors[0]!.text, new RegExp(`minst ${PASSWORD_MIN}`));
  t.equal(short.input, null);
  t.same(parse('x'.repeat(PASSWORD_MIN)).errors, [], `${PASSWORD_MIN} characters are enough`);
  t.match(parse('x'.repeat(PASSWORD_MAX + 1)).errors[0]!.text, new RegExp(`høyst ${PASSWORD_MAX}`));
  t.same(parse('ø'.repeat(PASSWORD_MIN)).errors, [], 'counted in characters, not bytes');
});

t.test('the e-mail address is no password; both boxes must agree', async (t) => {
  t.match(parse('Kari@Example.no').errors[0]!.text, /e-postadressen/);
  t.same(parse('Kari@Example.no', 'Kari@Example.no', null).errors, [], 'no address known: allowed');
  const differ = parse('hest batteri stift', 'hest batteri stit');
  t.same(
    differ.errors.map((e) => e.href),
    ['#passwordRepeat'],
  );
  t.match(differ.errors[0]!.text, /ikke like/);
});

t.test('a repeated field counts once; anything else posted is ignored', async (t) => {
  const result = parseNewPassword(
    { password: ['hest batteri stift', 'x'], passwordRepeat: 'hest batteri stift', role: 'admin' },
    nb,
    { email: null },
  );
  t.same(result.input, { password: 'hest batteri stift' });
});

t.test('the reset request needs an address that looks like one, and gives it back', async (t) => {
  t.same(parseResetRequest({ email: ' kari@example.no ' }, nb).input, { email: 'kari@example.no' });
  const bad = parseResetRequest({ email: 'kari' }, nb);
  t.same(bad.values, { email: 'kari' }, 'typed text back');
  t.same(
    bad.errors.map((e) => e.href),
    ['#email'],
  );
  t.same(
    parseResetRequest({}, nb).errors.map((e) => e.href),
    ['#email'],
  );
});
