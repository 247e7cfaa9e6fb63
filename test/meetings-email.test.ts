/**
 * Meeting e-mails through a real SMTP server on 127.0.0.1 (smtp-server), sent by pg-boss jobs: planning
 * a meeting e-mails each participant with an account an invitation with the calendar file attached
 * (METHOD:REQUEST), cancelling it e-mails a cancellation (METHOD:CANCEL, the same UID, a higher
 * SEQUENCE). The messages are parsed as MIME (mailparser) and the attachments as iCalendar (ical.js);
 * neither the e-mail nor the file names the child or carries the purpose or the reason.
 */
import t, { type Test } from 'tap';
import { simpleParser, type ParsedMail } from 'mailparser';
import ICAL from 'ical.js';
import { Agent, signIn, testApp } from './helpers/app.js';
import { startCatcher, type CaughtMessage } from '../src/features/notifications/catcher.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';
import { idaLogId, userId } from './plan-fixture.js';
import { identityNumbersIn } from './helpers/identity.js';

const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));

async function parse(
  message: CaughtMessage,
): Promise<{ mail: ParsedMail; event: ICAL.Component; ics: string; method: string }> {
  const mail = await simpleParser(Buffer.from(message.raw, 'latin1'));
  const files = mail.attachments.filter((a) => a.filename?.endsWith('.ics'));
  if (files.length !== 1) throw new Error(`expected one .ics attachment, found ${files.length}`);
  const ics = files[0]!.content.toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return { mail, event, ics, method: String(calendar.getFirstPropertyValue('method')) };
}

function noChildData(t: Test, text: string) {
  for (const word of ['Ida', 'Hansen', 'fraværet', 'syk']) t.notOk(text.includes(word), `no "${word}"`);
  t.same(identityNumbersIn(text), [], 'no identity number');
}

t.test('invitations and cancellations are e-mailed with the calendar file attached', async (t) => {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const { app, db } = await testApp(t, {
    SMTP_URL: catcher.url,
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    JOBS_POLL_SECONDS: '1',
    BASE_URL: 'https://stafett.example.no',
  });
  await app.jobs.start();
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const logId = await idaLogId(db);
  const anne = await userId(db, 'foresatt@stafett.example');
  const child = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('l.id', logId)
    .first('c.last_name', 'c.national_id');

  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const created = await agent.post(`/logs/${logId}/meetings`, {
    formToken: token,
    participants_form: '1',
    'date-day': tomorrow.day,
    'date-month': tomorrow.month,
    'date-year': tomorrow.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2, Solbakken skole',
    purpose: 'Ida og fraværet: avtale tiltak sammen.',
    participants: String(anne),
    child: 'yes',
  });
  t.equal(created.statusCode, 303);
  const url = created.headers.location as string;
  const meetingId = Number(url.split('/').pop());

  const [invited] = await catcher.waitFor(1, 15_000);
  t.same(invited!.envelopeTo, ['foresatt@stafett.example'], 'to the guardian who takes part');
  const first = await parse(invited!);
  t.equal(first.mail.subject, 'Invitasjon til møte i Stafett');
  t.match(first.mail.text ?? '', /Du er invitert til et møte/);
  t.match(invited!.text, /Du er invitert til et møte/, 'the development mail page reads the text part too');
  t.match(first.mail.text ?? '', new RegExp(`https://stafett\\.example\\.no${url}`), 'a link behind sign-in');
  t.equal(first.method, 'REQUEST', 'METHOD:REQUEST');
  t.equal(first.event.getFirstPropertyValue('summary'), 'Møte i Stafett');
  t.equal(first.event.getFirstPropertyValue('location'), 'Møterom 2, Solbakken skole');
  const uid = String(first.event.getFirstPropertyValue('uid'));
  t.equal(uid, `meeting-${meetingId}@stafett.example.no`);
  const start = first.event.getFirstPropertyValue('dtstart') as ICAL.Time;
  t.equal(
    start.toJSDate().getTime(),
    (await db('meetings').where({ id: meetingId }).first('starts_at')).starts_at.getTime(),
    'the right time',
  );
  t.match(String(first.event.getFirstPropertyValue('attendee')), /mailto:foresatt@stafett\.example/i);
  for (const text of [invited!.raw, first.mail.text ?? '', first.ics]) noChildData(t, text);
  t.notOk(first.ics.includes(child.last_name) || invited!.raw.includes(child.last_name), 'not the last name');
  t.notOk(first.ics.includes(child.national_id), 'not the identity number');

  // Cancelled: the same people get a cancellation that removes the event.
  const cancelled = await agent.post(`${url}/cancel`, { reason: 'Ida er syk.' });
  t.equal(cancelled.statusCode, 303);
  const [, cancelMail] = await catcher.waitFor(2, 15_000);
  t.same(cancelMail!.envelopeTo, ['foresatt@stafett.example']);
  const second = await parse(cancelMail!);
  t.equal(second.mail.subject, 'Møte i Stafett er avlyst');
  t.equal(second.method, 'CANCEL', 'METHOD:CANCEL');
  t.equal(String(second.event.getFirstPropertyValue('status')), 'CANCELLED');
  t.equal(String(second.event.getFirstPropertyValue('uid')), uid, 'the same event');
  t.ok(
    Number(second.event.getFirstPropertyValue('sequence')) >
      Number(first.event.getFirstPropertyValue('sequence')),
    'with a higher SEQUENCE, so calendars replace it',
  );
  for (const text of [cancelMail!.raw, second.mail.text ?? '', second.ics]) noChildData(t, text);
  t.equal(catcher.messages.length, 2, 'the child (no account) and the others by name get no e-mail');
});
