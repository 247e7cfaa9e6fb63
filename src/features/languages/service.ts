/**
 * Which language to write to whom. A person's stored choice first; without one, for someone who has
 * never signed in (just invited), the language their family chose (a guardian or the youth of a log
 * they belong to); else the installation's default.
 * Everything sent to a person (e-mails, invitations, reminders, calendar invitations) is written in
 * this language, one rendering per recipient. The meeting print uses the family's language when they
 * chose one, else the holder's.
 */
import type { Knex } from 'knex';
import { isLocale, type Locale } from '../../i18n/index.js';
import type { LanguagesRepository } from './repository.js';

export function languagesService(repository: LanguagesRepository, installationDefault: Locale) {
  const known = (value: string | null | undefined): Locale | null => (isLocale(value) ? value : null);

  return {
    installationDefault,

    /** The language to write to each person (every id asked for gets one). */
    async recipientLocales(userIds: number[], trx?: Knex.Transaction): Promise<Map<number, Locale>> {
      const found = new Map<number, Locale>();
      for (const row of await repository.choices([...new Set(userIds)], trx))
        found.set(row.id, known(row.own) ?? known(row.family) ?? installationDefault);
      for (const id of userIds) if (!found.has(id)) found.set(id, installationDefault);
      return found;
    },

    async recipientLocale(userId: number, trx?: Knex.Transaction): Promise<Locale> {
      return (await this.recipientLocales([userId], trx)).get(userId)!;
    },

    /** The person's own stored choice, or null when they have not chosen. */
    async chosenLocale(userId: number): Promise<Locale | null> {
      return known(await repository.own(userId));
    },

    /** The language the family of a log chose, or null. */
    async familyLocale(logId: number): Promise<Locale | null> {
      return known(await repository.familyOfLog(logId));
    },
  };
}

export type LanguagesService = ReturnType<typeof languagesService>;
