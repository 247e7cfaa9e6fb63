import type { Knex } from 'knex';

export const PLAN_TYPES = [
  'stafettlogg',
  'individuell_plan',
  'oppfolgingsplan',
  'familieplan',
  'barnets_plan',
] as const;
export const LIFE_AREAS = [
  'health',
  'school',
  'home',
  'friends',
  'leisure',
  'work',
  'housing',
  'economy',
] as const;

const ts = (t: Knex.CreateTableBuilder, knex: Knex) => {
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('concern_categories', (t) => {
    t.increments('id');
    t.integer('municipality_id').notNullable().references('municipalities.id');
    t.string('label', 200).notNullable();
    t.boolean('is_activity_plan').notNullable().defaultTo(false);
    t.integer('position').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('logs', (t) => {
    t.increments('id');
    t.integer('child_id').notNullable().references('children.id');
    t.string('plan_type', 40).notNullable();
    t.smallint('level').notNullable();
    t.integer('holder_id').notNullable().references('users.id');
    t.integer('unit_id').notNullable().references('units.id');
    t.string('status', 20).notNullable().defaultTo('active');
    t.text('startup_note').notNullable();
    t.integer('created_by').notNullable().references('users.id');
    t.timestamp('closed_at', { useTz: true }).nullable();
    t.text('closed_reason').nullable();
    t.integer('version').notNullable().defaultTo(1);
    ts(t, knex);
    t.index(['holder_id', 'status']);
    t.index(['unit_id', 'status']);
    t.index(['child_id']);
  });
  await knex.raw(
    `ALTER TABLE logs ADD CONSTRAINT logs_plan_type_check CHECK (plan_type IN (${PLAN_TYPES.map((p) => `'${p}'`).join(',')}))`,
  );
  await knex.raw(`ALTER TABLE logs ADD CONSTRAINT logs_level_check CHECK (level IN (1, 2, 3))`);
  await knex.raw(`ALTER TABLE logs ADD CONSTRAINT logs_status_check CHECK (status IN ('active', 'passive'))`);

  await knex.schema.createTable('log_guardians', (t) => {
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.primary(['log_id', 'user_id']);
  });

  await knex.schema.createTable('consents', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('given_by', 300).notNullable();
    t.string('given_by_role', 20).notNullable(); // guardians | youth
    t.date('given_on').notNullable();
    t.date('valid_until').notNullable();
    t.specificType('services', 'text[]').notNullable().defaultTo('{}');
    t.text('services_note').notNullable().defaultTo('');
    t.integer('recorded_by').notNullable().references('users.id');
    t.timestamp('withdrawn_at', { useTz: true }).nullable();
    t.integer('withdrawn_by').nullable().references('users.id');
    t.text('withdrawn_reason').nullable();
    ts(t, knex);
    t.index(['log_id']);
  });
  await knex.raw(`ALTER TABLE consents ADD CONSTRAINT consents_dates_check CHECK (valid_until >= given_on)`);

  await knex.schema.createTable('life_areas', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('area', 40).notNullable();
    t.text('going_well').notNullable().defaultTo('');
    t.text('wishes').notNullable().defaultTo('');
    t.integer('position').notNullable().defaultTo(0);
    ts(t, knex);
    t.unique(['log_id', 'area']);
  });

  await knex.schema.createTable('concerns', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.integer('category_id').nullable().references('concern_categories.id');
    t.text('success_indicator').notNullable().defaultTo('');
    t.text('mf_world_view').notNullable().defaultTo('');
    t.text('mf_coping').notNullable().defaultTo('');
    t.text('mf_preconditions').notNullable().defaultTo('');
    t.text('mf_service').notNullable().defaultTo('');
    t.text('mf_home').notNullable().defaultTo('');
    t.string('status', 20).notNullable().defaultTo('active');
    t.text('closing_reason').nullable();
    t.integer('position').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').notNullable().references('users.id');
    ts(t, knex);
    t.index(['log_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE concerns ADD CONSTRAINT concerns_status_check CHECK (status IN ('active', 'solved', 'closed'))`,
  );

  await knex.schema.createTable('goals', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('concern_id').notNullable().references('concerns.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.string('owner', 20).nullable(); // child | guardian | professional
    t.text('owner_words').notNullable().defaultTo(''); // the child's own words, when the goal is theirs
    t.string('arena', 20).nullable(); // school | home | leisure | network
    t.date('target_date').nullable();
    t.string('status', 20).notNullable().defaultTo('active');
    t.string('decision', 20).nullable(); // after evaluation: achieved | new_goal | continue | change | end
    t.integer('replaced_by').nullable();
    t.integer('position').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').notNullable().references('users.id');
    ts(t, knex);
    t.index(['concern_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE goals ADD CONSTRAINT goals_owner_check CHECK (owner IS NULL OR owner IN ('child', 'guardian', 'professional'))`,
  );
  await knex.raw(
    `ALTER TABLE goals ADD CONSTRAINT goals_arena_check CHECK (arena IS NULL OR arena IN ('school', 'home', 'leisure', 'network'))`,
  );
  await knex.raw(
    `ALTER TABLE goals ADD CONSTRAINT goals_status_check CHECK (status IN ('active', 'achieved', 'not_achieved', 'replaced'))`,
  );

  await knex.schema.createTable('measures', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('concern_id').notNullable().references('concerns.id').onDelete('CASCADE');
    t.integer('goal_id').notNullable().references('goals.id').onDelete('CASCADE');
    t.text('text').notNullable();
    // Exactly one responsible party: a staff actor (service), the guardians (home) or the child.
    t.string('responsible', 20).notNullable();
    t.integer('responsible_user_id').nullable().references('users.id');
    t.date('start_date').notNullable();
    t.date('deadline').notNullable();
    t.string('status', 20).notNullable().defaultTo('planned');
    t.integer('corrects_measure_id').nullable().references('measures.id');
    t.integer('position').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').notNullable().references('users.id');
    t.timestamp('text_written_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    ts(t, knex);
    t.index(['goal_id', 'position']);
    t.index(['log_id', 'deadline']);
    t.index(['responsible_user_id']);
  });
  await knex.raw(`
    ALTER TABLE measures ADD CONSTRAINT measures_responsible_check CHECK (
      (responsible = 'actor' AND responsible_user_id IS NOT NULL) OR
      (responsible IN ('guardians', 'child') AND responsible_user_id IS NULL));
    ALTER TABLE measures ADD CONSTRAINT measures_status_check CHECK (status IN ('planned', 'ongoing', 'evaluated'));
    ALTER TABLE measures ADD CONSTRAINT measures_dates_check CHECK (deadline >= start_date);
    -- Rule 4: within one concern, an actor has at most one active measure at a time.
    CREATE UNIQUE INDEX measures_one_active_per_actor ON measures (concern_id, responsible_user_id)
      WHERE responsible = 'actor' AND status <> 'evaluated';
  `);

  await knex.schema.createTable('measure_steps', (t) => {
    t.increments('id');
    t.integer('measure_id').notNullable().references('measures.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('text').notNullable();
    t.boolean('done').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('evaluations', (t) => {
    t.increments('id');
    // Rule 7: a measure is evaluated once.
    t.integer('measure_id').notNullable().unique().references('measures.id').onDelete('CASCADE');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.boolean('misregistered').notNullable().defaultTo(false);
    t.string('happened', 10).nullable(); // yes | partly | no
    t.string('effect', 20).nullable(); // worked | partly | did_not_work (the professionals' view)
    t.string('family_effect', 20).nullable(); // the family's view, which decides
    t.text('family_view').notNullable().defaultTo('');
    t.text('comment').notNullable().defaultTo('');
    t.string('next_step', 20).nullable(); // continue | change | end
    t.integer('evaluated_by').notNullable().references('users.id');
    t.timestamp('evaluated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Read access for a staff member to the whole log or chosen concerns, with the family's consent.
  await knex.schema.createTable('read_grants', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.boolean('all_concerns').notNullable().defaultTo(false);
    t.specificType('concern_ids', 'integer[]').notNullable().defaultTo('{}');
    t.date('ends_on').notNullable();
    t.integer('consent_id').nullable().references('consents.id');
    t.integer('granted_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('withdrawn_at', { useTz: true }).nullable();
    t.index(['log_id', 'user_id']);
  });

  // Double-clicked submits: each create form carries a one-time token; the second use finds the first.
  await knex.schema.createTable('form_submissions', (t) => {
    t.uuid('token').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('result', 500).notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
