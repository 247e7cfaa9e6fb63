/**
 * The person's own page ("Min konto"): who they are here (name, e-mail, the masked identity number),
 * the ways they can sign in, the language of their e-mails, and their last sign-ins (time, way in,
 * level), so someone else's use of the account can be noticed.
 */
import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../../lib/oslo-time.js';
import { DEFAULT_LOCALE, isLocale } from '../../i18n/index.js';
import type { AccountService } from './account-service.js';

export const SIGN_INS_SHOWN = 10;

export default async function accountRoutes(app: FastifyInstance, deps: { accounts: AccountService }) {
  const { accounts } = deps;

  app.get('/account', { preHandler: app.requireUser }, async (request, reply) => {
    const user = request.user!;
    const [account, signIns] = await Promise.all([
      accounts.byId(user.id),
      accounts.lastSignIns(user.id, SIGN_INS_SHOWN),
    ]);
    return reply.page('auth/account', {
      account: {
        name: account?.name ?? user.name,
        email: account?.email ?? '',
        nationalIdMasked: account?.national_id_masked ?? '',
        locale: isLocale(account?.locale) ? account.locale : DEFAULT_LOCALE,
      },
      signIns,
      formatDateTime: (d: Date) => formatDateTime(d, request.locale),
      ways: {
        idporten: Boolean(app.config.idporten),
        municipal: Boolean(app.config.municipal) && user.kind === 'staff',
        municipalName: app.config.municipal?.displayName || '',
        password: app.config.localPasswords && Boolean(account?.password_hash),
      },
    });
  });
}
