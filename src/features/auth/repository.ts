import type { Db } from '../../db/knex.js';

export interface LoginUserRow {
  id: number;
  password_hash: string | null;
  disabled_at: Date | null;
}

export function authRepository(db: Db) {
  return {
    findByEmail(email: string): Promise<LoginUserRow | undefined> {
      return db('users')
        .whereRaw('lower(email) = lower(?)', [email])
        .first('id', 'password_hash', 'disabled_at');
    },
  };
}
