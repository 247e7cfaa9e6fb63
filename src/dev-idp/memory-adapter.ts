/**
 * Where the local identity provider keeps its state (sessions, interactions, codes, grants): in memory,
 * per provider, gone when it stops. That is all a development and test provider needs; a real
 * provider would keep this in a database.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export function memoryAdapterFactory(): (model: string) => Adapter {
  const store = new Map<string, Entry>();
  const key = (model: string, id: string) => `${model}:${id}`;
  const live = (entry: Entry | undefined) => (entry && entry.expiresAt > Date.now() ? entry : undefined);

  return (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      store.set(key(model, id), { payload, expiresAt: Date.now() + (expiresIn ?? 3600) * 1000 });
    },
    async find(id) {
      return live(store.get(key(model, id)))?.payload;
    },
    async findByUserCode(userCode) {
      for (const [k, entry] of store)
        if (k.startsWith(`${model}:`) && live(entry) && entry.payload.userCode === userCode)
          return entry.payload;
      return undefined;
    },
    async findByUid(uid) {
      for (const [k, entry] of store)
        if (k.startsWith(`${model}:`) && live(entry) && entry.payload.uid === uid) return entry.payload;
      return undefined;
    },
    async consume(id) {
      const entry = live(store.get(key(model, id)));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      store.delete(key(model, id));
    },
    async revokeByGrantId(grantId) {
      for (const [k, entry] of store) if (entry.payload.grantId === grantId) store.delete(k);
    },
  });
}
