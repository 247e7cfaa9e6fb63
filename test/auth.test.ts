/** Signing in and out, sessions and the security around them, through the real app with inject. */
import t from 'tap';
import { translator } from '../src/i18n/index.js';
import { DEMO_ACCOUNTS } from '../seeds/01_organisation.js';
import { Agent, postLogin, signIn, testApp, type Response } from './helpers/app.js';

const nb = translator('nb');
const en = translator('en');
const HOLDER = 'stafettholder@stafett.example';

/** As Eta writes text into HTML. */
function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function setCookie(response: Response, name: string): string {
  const header = response.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.find((line) => line.startsWith(`${name}=`)) ?? '';
}

function errorSummary(body: string): string {
  return /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
}

t.test('the login page', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  const page = await agent.get('/login');
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html; charset=utf-8/);
  t.match(page.body, '<html lang="nb">');
  t.match(page.body, `<title>${html(nb('login.title'))} –`);
  t.match(page.body, /<form method="post" action="\/login" novalidate>/);
  t.match(page.body, /<label class="label" for="email">/);
  t.match(page.body, /<input[^>]+id="password"[^>]+type="password"[^>]+autocomplete="current-password"/);
  t.not(agent.csrfToken, '', 'the form carries a CSRF token');
  t.equal((page.body.match(/<h1[\s>]/g) ?? []).length, 1, 'one h1');

  const anonymous = await new Agent(app).get('/');
  t.equal(anonymous.statusCode, 303, 'the start page needs signing in');
  t.equal(anonymous.headers.location, '/login');
});

t.test('every demo account signs in and sees its own name', async (t) => {
  const { app, db } = await testApp(t);
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  t.same(
    [...emails].sort(),
    [
      'admin@stafett.example',
      'aktor@stafett.example',
      'foresatt@stafett.example',
      'leder@stafett.example',
      'stafettholder@stafett.example',
      'superbruker@stafett.example',
      'ungdom@stafett.example',
    ],
    'one demo account per role',
  );
  for (const email of emails) {
    const agent = new Agent(app);
    const answer = await postLogin(agent, email);
    t.equal(answer.statusCode, 303, `${email}: 303 after the form`);
    t.equal(answer.headers.location, '/', `${email}: to the start page`);
    const page = await agent.follow(answer);
    t.equal(page.statusCode, 200, `${email}: start page`);
    const user = await db('users').where({ email }).first('name');
    t.ok(user, `${email} exists`);
    t.match(page.body, html(nb('home.welcome', { name: user.name })), `${email}: welcomed by name`);
    t.match(page.body, /<form method="post" action="\/logout"/, `${email}: can log out`);
  }
  const mixedCase = await postLogin(new Agent(app), '  StafettHolder@Stafett.Example ');
  t.equal(mixedCase.statusCode, 303, 'e-mail is matched without regard to case and spaces');
});

t.test('wrong password and unknown e-mail get the same answer', async (t) => {
  const { app } = await testApp(t);
  const wrong = await postLogin(new Agent(app), HOLDER, 'not-the-password');
  const unknown = await postLogin(new Agent(app), 'nobody@stafett.example', 'not-the-password');
  const noPassword = await postLogin(new Agent(app), 'far@stafett.example', 'stafett-demo');
  t.equal(wrong.statusCode, 401);
  t.equal(unknown.statusCode, wrong.statusCode, 'same status for an unknown e-mail');
  t.equal(noPassword.statusCode, wrong.statusCode, 'same status for an account without a password');
  t.match(wrong.body, html(nb('login.error.invalid')));
  t.equal(errorSummary(unknown.body), errorSummary(wrong.body), 'same error summary');
  t.equal(errorSummary(noPassword.body), errorSummary(wrong.body));
  t.not(errorSummary(wrong.body), '', 'an error summary is shown');
  t.notMatch(wrong.body, 'not-the-password', 'the password is never written back');
});

t.test('empty fields: 422, error summary linking to the fields, e-mail kept', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await agent.get('/login');
  const empty = await agent.post('/login', { email: '', password: '' });
  t.equal(empty.statusCode, 422);
  t.match(
    empty.body,
    `<title>${html(nb('error.titlePrefix'))}${html(nb('login.title'))}`,
    'title starts with "Feil: "',
  );
  const summary = errorSummary(empty.body);
  t.match(summary, `<a href="#email">${html(nb('login.error.email'))}</a>`);
  t.match(summary, `<a href="#password">${html(nb('login.error.password'))}</a>`);
  t.ok(summary.indexOf('#email') < summary.indexOf('#password'), 'errors in the order of the fields');
  t.match(empty.body, /id="email-error"/);
  t.match(
    empty.body,
    /<input[^>]+id="email"[^>]+aria-describedby="email-error"/,
    'the field names its error',
  );

  const typed = await agent.post('/login', { email: 'helga@stafett.example', password: '' });
  t.equal(typed.statusCode, 422);
  t.match(typed.body, /<input[^>]+id="email"[^>]+value="helga@stafett.example"/, 'typed e-mail is kept');
  t.notMatch(errorSummary(typed.body), '#email', 'only the empty field is in error');
  t.match(errorSummary(typed.body), '#password');
});

t.test('a POST without a valid CSRF token is refused with 403', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await agent.get('/login');
  const missing = await agent.post('/login', { email: HOLDER, password: 'stafett-demo' }, { csrf: false });
  t.equal(missing.statusCode, 403, 'no token');
  t.match(missing.body, html(nb('error.403.title')));
  const wrong = await agent.post('/login', { _csrf: 'forged', email: HOLDER, password: 'stafett-demo' });
  t.equal(wrong.statusCode, 403, 'a made-up token');
  const otherSession = new Agent(app);
  await otherSession.get('/login');
  const stolen = await agent.post('/login', {
    _csrf: otherSession.csrfToken,
    email: HOLDER,
    password: 'stafett-demo',
  });
  t.equal(stolen.statusCode, 403, "another session's token");

  const signedIn = new Agent(app);
  await signIn(signedIn, HOLDER);
  const logout = await signedIn.post('/logout', {}, { csrf: false });
  t.equal(logout.statusCode, 403, 'logging out needs the token too');
  t.equal((await signedIn.get('/')).statusCode, 200, 'and the session is still there');
  t.equal(
    (await agent.post('/language', { lang: 'en' }, { csrf: false })).statusCode,
    403,
    'language switch too',
  );
});

t.test('too many failed logins: 429 with Retry-After, even with the right password', async (t) => {
  // Its own address, so failures counted by other tests in this file's database do not add up here.
  const { app } = await testApp(t, { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' });
  const agent = new Agent(app, { 'x-forwarded-for': '192.0.2.30' });
  await agent.get('/login');
  for (let i = 1; i <= 3; i++) {
    const failed = await agent.post('/login', { email: HOLDER, password: `wrong-${i}` });
    t.equal(failed.statusCode, 401, `failure ${i}`);
  }
  const limited = await agent.post('/login', { email: HOLDER, password: 'stafett-demo' });
  t.equal(limited.statusCode, 429);
  const retryAfter = Number(limited.headers['retry-after']);
  t.ok(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After is a number of seconds (${retryAfter})`);
  t.match(errorSummary(limited.body), /href="#email"/, 'explained in the error summary');
  t.equal(
    (await signIn(new Agent(app), 'aktor@stafett.example')).statusCode,
    200,
    'other accounts still sign in',
  );
});

t.test('the session cookie is HttpOnly and SameSite=Lax; Secure when asked for', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await agent.get('/login');
  const login = await agent.post('/login', { email: HOLDER, password: 'stafett-demo' });
  const cookie = setCookie(login, 'stafett_session');
  t.not(cookie, '', 'a session cookie is set at login');
  t.match(cookie, /;\s*HttpOnly/i);
  t.match(cookie, /;\s*SameSite=Lax/i);
  t.notMatch(cookie, /;\s*Secure/i, 'not Secure over plain http in tests');

  const secure = await testApp(t, { SECURE_COOKIES: 'true' });
  const secureAgent = new Agent(secure.app);
  await secureAgent.get('/login');
  const secureLogin = await secureAgent.post('/login', { email: HOLDER, password: 'stafett-demo' });
  t.equal(secureLogin.statusCode, 303);
  const secureCookie = setCookie(secureLogin, 'stafett_session');
  t.match(secureCookie, /;\s*Secure/i, 'Secure with SECURE_COOKIES=true');
  t.match(secureCookie, /;\s*HttpOnly/i);
  t.match(secure.config.secureCookies, true);
});

t.test('a fresh session at login; after logout the old cookie signs nobody in', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await agent.get('/login');
  const before = agent.cookies.get('stafett_session');
  t.ok(before, 'the login page already has a (signed-out) session for its CSRF secret');
  await signIn(agent, HOLDER);
  const after = agent.cookies.get('stafett_session');
  t.ok(after);
  t.not(after, before, 'the cookie changes at login');

  const planted = new Agent(app);
  planted.cookies.set('stafett_session', before!);
  const plantedPage = await planted.get('/');
  t.equal(plantedPage.statusCode, 303, 'the cookie from before login is not signed in');

  const other = new Agent(app);
  await signIn(other, 'aktor@stafett.example');
  const aktorCookie = other.cookies.get('stafett_session')!;
  const switched = await signIn(other, 'leder@stafett.example');
  t.match(switched.body, 'Lars Bakke', 'signing in again on the same browser gives the new person');
  const kept = new Agent(app);
  kept.cookies.set('stafett_session', aktorCookie);
  const keptPage = await kept.get('/');
  t.equal(keptPage.statusCode, 200);
  t.match(keptPage.body, 'Tor Hansen', "an earlier session's cookie never becomes the next person's session");
  t.notMatch(keptPage.body, 'Lars Bakke');

  const logout = await agent.post('/logout');
  t.equal(logout.statusCode, 303);
  t.equal(logout.headers.location, '/login?loggedOut=1');
  const loggedOutPage = await agent.follow(logout);
  t.match(loggedOutPage.body, html(nb('login.loggedOut')), 'says you are logged out');
  t.equal((await agent.get('/')).statusCode, 303, 'signed out');

  const replay = new Agent(app);
  replay.cookies.set('stafett_session', after!);
  const replayed = await replay.get('/');
  t.equal(replayed.statusCode, 303, 'the signed-in cookie, kept by someone, no longer works after logout');
  t.equal(replayed.headers.location, '/login');
});

t.test('security headers', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  const check = (response: Response, label: string) => {
    const csp = String(response.headers['content-security-policy'] ?? '');
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    const scriptSrc = directives.get('script-src') ?? directives.get('default-src') ?? '';
    t.ok(scriptSrc, `${label}: scripts are restricted`);
    t.notMatch(
      scriptSrc,
      /unsafe-inline|unsafe-eval|\*/,
      `${label}: no unsafe-inline, unsafe-eval or * for scripts`,
    );
    t.equal(directives.get('object-src'), "'none'", `${label}: object-src 'none'`);
    t.equal(directives.get('frame-ancestors'), "'none'", `${label}: frame-ancestors 'none'`);
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
    t.match(
      String(response.headers['referrer-policy']),
      /^(no-referrer|same-origin|strict-origin)/,
      `${label}: Referrer-Policy`,
    );
    t.match(String(response.headers['x-frame-options']), /^(DENY|SAMEORIGIN)$/, `${label}: X-Frame-Options`);
    t.match(String(response.headers['cache-control']), /no-store/, `${label}: Cache-Control no-store`);
  };
  check(await agent.get('/login'), 'login page');
  const start = await signIn(agent, HOLDER);
  t.equal(start.statusCode, 200);
  check(start, 'signed-in start page');
  check(await agent.get('/no-such-page'), '404 page');
});

t.test('idle timeout and absolute limit are enforced on the server', async (t) => {
  const { app, clock } = await testApp(t, { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' });
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  clock.advance(29 * 60_000);
  t.equal((await agent.get('/')).statusCode, 200, 'after 29 quiet minutes: still signed in');
  clock.advance(29 * 60_000);
  t.equal((await agent.get('/')).statusCode, 200, 'activity keeps the session alive');
  clock.advance(31 * 60_000);
  const expired = await agent.get('/');
  t.equal(expired.statusCode, 303, 'after 31 quiet minutes: refused');
  t.equal(expired.headers.location, '/login?expired=1');
  const login = await agent.follow(expired);
  t.equal(login.statusCode, 200);
  t.match(login.body, html(nb('login.expired')), 'the login page says why');
  clock.advance(-60 * 60_000);
  t.equal(
    (await agent.get('/')).statusCode,
    303,
    'an expired session stays ended, even if the clock goes back',
  );

  const busy = new Agent(app);
  await signIn(busy, HOLDER);
  for (let minutes = 20; minutes <= 120; minutes += 20) {
    clock.advance(20 * 60_000);
    t.equal((await busy.get('/')).statusCode, 200, `active after ${minutes} minutes`);
  }
  clock.advance(60_000);
  const tooOld = await busy.get('/');
  t.equal(tooOld.statusCode, 303, 'the absolute limit ends even an active session');
  t.equal(tooOld.headers.location, '/login?expired=1');
});

t.test('the language switch: English on request, and it stays', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await agent.get('/login');
  const switched = await agent.post('/language', { lang: 'en', returnTo: '/login' });
  t.equal(switched.statusCode, 303);
  t.equal(switched.headers.location, '/login', 'back to the same page');
  const cookie = setCookie(switched, 'lang');
  t.match(cookie, /^lang=en;/);
  t.match(cookie, /Max-Age=\d{6,}/i, 'remembered for a long time');
  const english = await agent.follow(switched);
  t.match(english.body, '<html lang="en">');
  t.match(english.body, `<title>${html(en('login.title'))} –`);
  t.match(english.body, html(en('login.intro')));
  const start = await signIn(agent, HOLDER);
  t.match(start.body, '<html lang="en">', 'still English after signing in');
  t.match(start.body, html(en('home.welcome', { name: 'Helga Nilsen' })));
  t.match((await agent.get('/nope')).body, html(en('error.404.title')), 'error pages too');

  const away = await agent.post('/language', { lang: 'nb', returnTo: 'https://evil.example/' });
  t.equal(away.headers.location, '/', 'never sent to another site');
  t.match((await agent.get('/')).body, '<html lang="nb">', 'and back to bokmål');
});
