/** The route schemas under Fastify's own validation: which ids pass, as what, and the query's optional text. */
import t from 'tap';
import Fastify from 'fastify';
import { idParams, queryStrings, uuidParams, type Schemas } from './route-schemas.js';

async function app() {
  const app = Fastify().withTypeProvider<Schemas>();
  app.get(
    '/logs/:logId/goals/:goalId',
    { schema: { params: idParams('logId', 'goalId') } },
    async (request) => {
      const { logId, goalId }: { logId: number; goalId: number } = request.params;
      return { logId, goalId };
    },
  );
  app.get('/imports/:importId', { schema: { params: uuidParams('importId') } }, async (request) => ({
    importId: request.params.importId,
  }));
  app.get('/page', { schema: { querystring: queryStrings('saved') } }, async (request) => {
    const saved: string | undefined = request.query.saved;
    return { saved: saved ?? null };
  });
  return app;
}

t.test('ids: plain digits from 1 to the largest integer column value, handed on as numbers', async (t) => {
  const a = await app();
  const ok = await a.inject('/logs/1/goals/2147483647');
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { logId: 1, goalId: 2147483647 });
  for (const bad of [
    'abc',
    '0',
    '-1',
    '2147483648',
    '99999999999',
    '0x10',
    '012',
    '1e3',
    '1.0',
    '%201',
    '1%20',
  ]) {
    const refused = await a.inject(`/logs/${bad}/goals/1`);
    t.equal(refused.statusCode, 400, `"${decodeURIComponent(bad)}" is not an id`);
    t.equal(refused.json().code, 'FST_ERR_VALIDATION');
  }
  t.equal((await a.inject('/logs/1/goals/x')).statusCode, 400, 'every id of the address is checked');
});

t.test('uuids: a generated key, nothing else', async (t) => {
  const a = await app();
  const id = '0b5c8f8e-2c1f-4a8e-9d6b-3f0a1c2b4d5e';
  t.same((await a.inject(`/imports/${id}`)).json(), { importId: id });
  for (const bad of ['-'.repeat(36), id.toUpperCase(), `${id}0`, 'abc'])
    t.equal((await a.inject(`/imports/${bad}`)).statusCode, 400, bad);
});

t.test('query text: optional, as typed', async (t) => {
  const a = await app();
  t.same((await a.inject('/page?saved=1')).json(), { saved: '1' });
  t.same((await a.inject('/page?saved=')).json(), { saved: '' });
  t.same((await a.inject('/page')).json(), { saved: null });
  t.same((await a.inject('/page?other=1')).json(), { saved: null }, 'other names do not matter');
});
