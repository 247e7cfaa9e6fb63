/** The account e-mails are written in the person's language, nynorsk included. */
import t from 'tap';
import { composeAccountMail } from './account-mail.js';
import { translator } from '../../i18n/index.js';

const base = {
  name: 'Kari Olsen',
  link: 'https://stafett.example/invitation/abc',
  expiresAt: new Date('2026-12-03T12:00:00Z'),
  idporten: true,
  passwords: true,
  minutes: 30,
};

t.test('an invitation in nynorsk, with the date in nynorsk', async (t) => {
  const mail = composeAccountMail({ ...base, kind: 'invitation', locale: 'nn' }, translator('nn'));
  t.equal(mail.subject, 'Invitasjon til Stafett');
  t.match(mail.text, /^Hei, Kari Olsen!/);
  t.match(
    mail.text,
    /Du er lagd til i Stafett, der familien og tenestene rundt eit barn har éin felles plan\./,
  );
  t.match(mail.text, /Lenkja kan brukast éin gong og verkar til og med 3\. desember 2026\./);
  t.match(mail.text, /Helsing Stafett$/);
});

t.test('a password reset in nynorsk, with the minutes counted in nynorsk', async (t) => {
  const mail = composeAccountMail({ ...base, kind: 'password_reset', locale: 'nn' }, translator('nn'));
  t.equal(mail.subject, 'Nytt passord i Stafett');
  t.match(mail.text, /verkar i 30 minutt\./);
  t.match(mail.text, /Har du ikkje bede om dette/);
});
