/**
 * Each person's language. An account's locale is now empty until the person chooses one (on their own
 * page or with the language switch while signed in): an empty locale means "not chosen", so e-mails to
 * them follow their family's choice or the installation's default, and a new browser follows the choice.
 * Before this, every account said 'nb' whether chosen or not; those rows become "not chosen".
 *
 * Concern categories get a code for the built-in ones (their label is then translated by message key
 * category.<code>); a category an administrator wrote keeps no code and is shown as written.
 *
 * Meeting e-mails become a kind of notice a person can turn off, like the other notices.
 *
 * A meeting participant's role was stored as text in the language of whoever planned the meeting
 * ("foresatt", "barnet / eleven"); a participant now keeps the kind of person (holder, guardian, actor,
 * youth) and the role stays empty unless it is a title someone wrote, so the role reads in each reader's
 * language. Roles stored as one of those labels (bokmål or English) are turned into the kind.
 */
import type { Knex } from 'knex';

/** Literal copies: a migration is history and does not follow src/domain. */
const CATEGORY_CODES: Record<string, string> = {
  school_environment: 'Skolemiljø%',
  absence: 'Fravær',
  mental_health: 'Psykisk helse og trivsel',
  language: 'Språk og kommunikasjon',
  learning: 'Læring',
  social_skills: 'Sosiale ferdigheter',
  physical_health: 'Fysisk helse',
};
const KINDS_BEFORE = [
  'log_created',
  'transfer',
  'measure_assigned',
  'deadline_soon',
  'weekly_glimmer',
  'consent_expiring',
];
const KINDS_AFTER = [...KINDS_BEFORE, 'meeting'];
const PARTICIPANT_KINDS: Record<string, string[]> = {
  holder: ['stafettholder', 'coordinator'],
  guardian: ['foresatt', 'guardian'],
  actor: ['aktør', 'actor'],
  youth: ['ungdommen selv', 'the young person'],
};
const CHILD_ROLES = ['barnet / eleven', 'the child / pupil'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE users ALTER COLUMN locale DROP NOT NULL, ALTER COLUMN locale DROP DEFAULT`);
  await knex('users').where({ locale: 'nb' }).update({ locale: null });

  await knex.schema.alterTable('concern_categories', (t) => {
    t.string('code', 40).nullable();
  });
  await knex.raw(
    `ALTER TABLE concern_categories ADD CONSTRAINT concern_categories_code_check
       CHECK (code IS NULL OR code IN (${list(Object.keys(CATEGORY_CODES))}))`,
  );
  for (const [code, label] of Object.entries(CATEGORY_CODES))
    await knex('concern_categories').whereNull('code').whereLike('label', label).update({ code });

  await knex.raw(`
    ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_kind_check;
    ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_kind_check
      CHECK (kind IN (${list(KINDS_AFTER)}));
  `);

  await knex.schema.alterTable('meeting_participants', (t) => {
    t.string('kind', 20).nullable();
  });
  await knex.raw(
    `ALTER TABLE meeting_participants ADD CONSTRAINT meeting_participants_kind_check
       CHECK (kind IS NULL OR kind IN (${list(Object.keys(PARTICIPANT_KINDS))}))`,
  );
  for (const [kind, labels] of Object.entries(PARTICIPANT_KINDS))
    await knex('meeting_participants')
      .whereNotNull('user_id')
      .whereIn('role', labels)
      .update({ kind, role: '' });
  await knex('meeting_participants')
    .where({ is_child: true })
    .whereIn('role', CHILD_ROLES)
    .update({ role: '' });
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
