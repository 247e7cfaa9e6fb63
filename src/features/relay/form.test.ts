/** The relay's forms: transfer, decline, assign, close, consent and export. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseChoice, parseClose, parseConsent, parseExport, parseReason, parseTransfer } from './form.js';

const nb = translator('nb');

t.test('transfer within the unit: a receiver among those offered, and a reason', async (t) => {
  const context = {
    kind: 'internal' as const,
    toUnitId: 4,
    receiverIds: [7, 8],
    leaderAvailable: false,
    concernIds: [1],
  };
  const result = parseTransfer({ receiver: '8', reason: ' Flytter ', stayInMeetings: 'yes' }, nb, context);
  t.same(result.errors, []);
  t.same(result.input, {
    kind: 'internal',
    toUnitId: 4,
    toUserId: 8,
    reason: 'Flytter',
    concernIds: null,
    stayInMeetings: true,
  });
  const wrong = parseTransfer({ receiver: 'leader', reason: '' }, nb, context);
  t.equal(wrong.input, null);
  t.same(wrong.errors, [
    { text: nb('relay.err.receiver'), href: '#receiver' },
    { text: nb('relay.err.reason'), href: '#reason' },
  ]);
});

t.test('transfer to another unit: the leader, chosen concerns, consent confirmed', async (t) => {
  const context = {
    kind: 'unit' as const,
    toUnitId: 5,
    receiverIds: [],
    leaderAvailable: true,
    concernIds: [1, 2],
  };
  const result = parseTransfer(
    { receiver: 'leader', reason: 'Ny skole', concernIds: ['2'], consentConfirmed: 'yes' },
    nb,
    context,
  );
  t.same(result.input?.concernIds, [2]);
  t.equal(result.input?.toUserId, null);
  const wrong = parseTransfer(
    { receiver: 'leader', reason: 'Ny skole', concernIds: ['2', '9'] },
    nb,
    context,
  );
  t.same(wrong.errors, [
    { text: nb('relay.err.concerns'), href: '#concernIds' },
    { text: nb('relay.err.transferConsent'), href: '#consentConfirmed' },
  ]);
  t.same(wrong.values.concernIds, ['2', '9'], 'handed back as ticked');
  t.same(
    parseTransfer({ receiver: 'leader', reason: 'Ny skole', consentConfirmed: 'yes' }, nb, context).errors,
    [{ text: nb('relay.err.concerns'), href: '#concernIds' }],
    'at least one concern when there are any',
  );
});

t.test('a reason: required or optional, trimmed, limited to 2000 characters', async (t) => {
  const required = parseReason(
    { declineReason: '  ' },
    nb,
    'declineReason',
    'relay.err.declineReason',
    'Begrunnelse',
  );
  t.same(required.errors, [{ text: nb('relay.err.declineReason'), href: '#declineReason' }]);
  t.same(parseReason({}, nb, 'reason', undefined, 'Begrunnelse').input, { reason: '' });
  t.same(parseReason({ reason: 'x'.repeat(2000) }, nb, 'reason', undefined, 'B').errors, []);
  const long = parseReason({ reason: 'x'.repeat(2001) }, nb, 'reason', undefined, 'Begrunnelse');
  t.same(long.errors, [{ text: nb('err.tooLong', { field: 'Begrunnelse', max: 2000 }), href: '#reason' }]);
  t.same(parseReason({ reason: 'a\u0000' }, nb, 'reason', undefined, 'Begrunnelse').errors, [
    { text: nb('err.control', { field: 'Begrunnelse' }), href: '#reason' },
  ]);
});

t.test('assigning a transfer: one of the possible holders', async (t) => {
  t.same(parseChoice({ receiver: '7' }, nb, [7, 8]), {
    values: { receiver: '7' },
    errors: [],
    input: { id: 7 },
  });
  for (const receiver of ['9', '', '7 OR 1=1', '-7'])
    t.same(parseChoice({ receiver }, nb, [7, 8]), {
      values: { receiver },
      errors: [{ text: nb('relay.err.assign'), href: '#receiver' }],
      input: null,
    });
});

t.test('closing: a reason, a day between the log was made and today, agreed with the family', async (t) => {
  const context = { today: '2026-03-15', createdOn: '2025-01-10' };
  const day = (d: string, m: string, y: string) => ({
    'closedOn-day': d,
    'closedOn-month': m,
    'closedOn-year': y,
  });
  t.same(parseClose({ reason: ' Ferdig ', ...day('15', '3', '2026'), agreed: 'yes' }, nb, context).input, {
    reason: 'Ferdig',
    closedOn: '2026-03-15',
  });
  const empty = parseClose({}, nb, context);
  t.same(empty.errors, [
    { text: nb('relay.err.closeReason'), href: '#reason' },
    { text: nb('err.date.missing', { field: nb('relay.close.date.what') }), href: '#closedOn-day' },
    { text: nb('relay.err.closeAgreed'), href: '#agreed' },
  ]);
  t.same(parseClose({ reason: 'x', ...day('16', '3', '2026'), agreed: 'yes' }, nb, context).errors, [
    { text: nb('relay.err.closedOn.future'), href: '#closedOn-day' },
  ]);
  t.same(parseClose({ reason: 'x', ...day('9', '1', '2025'), agreed: 'yes' }, nb, context).errors, [
    { text: nb('relay.err.closedOn.beforeCreated'), href: '#closedOn-day' },
  ]);
  const impossible = parseClose({ reason: 'x', ...day('30', '2', '2026'), agreed: 'yes' }, nb, context);
  t.equal(impossible.errors[0]?.href, '#closedOn-day');
  t.same(impossible.values.closedOn, { day: '30', month: '2', year: '2026' });
});

t.test('consent (renew, reopen): the same checks as on the create-log form', async (t) => {
  const context = { today: '2026-03-15', birthDate: '2014-05-06', youthConsentAge: 15 };
  const body = {
    consentBy: 'guardians',
    consentName: ' Kari ',
    'consentGivenOn-day': '15',
    'consentGivenOn-month': '3',
    'consentGivenOn-year': '2026',
    'consentValidUntil-day': '15',
    'consentValidUntil-month': '3',
    'consentValidUntil-year': '2027',
    consentServices: 'school',
    consentConfirmed: 'yes',
  };
  t.same(parseConsent(body, nb, context).input, {
    givenBy: 'Kari',
    givenByRole: 'guardians',
    givenOn: '2026-03-15',
    validUntil: '2027-03-15',
    services: ['school'],
    servicesNote: '',
  });
  const young = parseConsent({ ...body, consentBy: 'youth' }, nb, context);
  t.same(young.errors, [{ text: nb('err.consentBy.tooYoung', { age: 15 }), href: '#consentBy' }]);
  t.same(
    parseConsent({}, nb, context).errors.map((e) => e.href),
    [
      '#consentBy',
      '#consentName',
      '#consentGivenOn-day',
      '#consentValidUntil-day',
      '#consentServices',
      '#consentConfirmed',
    ],
  );
});

t.test('export: chosen concerns of the log, a reason, the consent confirmed', async (t) => {
  const result = parseExport(
    { concernIds: ['1', '3'], reason: ' Flytter ', consentConfirmed: 'yes' },
    nb,
    [1, 2, 3],
  );
  t.same(result.input, { chosen: [1, 3] });
  t.equal(result.values.reason, 'Flytter');
  const wrong = parseExport({ concernIds: ['1', '4'] }, nb, [1, 2, 3]);
  t.same(wrong.errors, [
    { text: nb('relay.err.concerns'), href: '#concernIds' },
    { text: nb('relay.err.reason'), href: '#reason' },
    { text: nb('relay.err.exportConsent'), href: '#consentConfirmed' },
  ]);
  t.same(wrong.values, { concernIds: ['1', '4'], reason: '', consentConfirmed: false });
});
