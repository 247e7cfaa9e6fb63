/**
 * The domain lists (src/domain/) and the database agree. Migrations keep their own literal copies of the
 * lists (a migration never changes once it has run; feature code never imports a migration), so this test
 * reads each CHECK constraint the migrations left in a migrated database and compares its values with the
 * list the code uses: a value added to one and not the other fails here, not as a 500 in use. (Life areas
 * have no constraint: the service writes only LIFE_AREAS.)
 */
import t from 'tap';
import { testApp } from './helpers/app.js';
import { EFFECTS, PLAN_TYPES } from '../src/domain/plan.js';
import { UNIT_KINDS } from '../src/domain/organisation.js';
import {
  MEETING_MODES,
  MEETING_PHASES,
  MEETING_STATUSES,
  PARTICIPANT_KINDS,
  PRINT_REASONS,
} from '../src/domain/meetings.js';
import { CONCERN_CATEGORY_CODES } from '../src/domain/categories.js';
import { SIGNED_FORM_SOURCES } from '../src/domain/consent-papers.js';
import {
  CLOSURE_KINDS,
  CONSENT_NOTICE_KINDS,
  TRANSFER_KINDS,
  TRANSFER_STATUSES,
} from '../src/domain/relay.js';
import { NOTIFICATION_KINDS } from '../src/domain/notifications.js';

const CHECKED: [table: string, column: string, list: readonly (string | number)[]][] = [
  ['logs', 'plan_type', PLAN_TYPES],
  ['units', 'kind', UNIT_KINDS],
  ['meetings', 'mode', MEETING_MODES],
  ['meetings', 'status', MEETING_STATUSES],
  ['meetings', 'current_phase', MEETING_PHASES],
  ['archive_prints', 'reason', PRINT_REASONS],
  ['family_views', 'effect', EFFECTS],
  ['transfers', 'kind', TRANSFER_KINDS],
  ['transfers', 'status', TRANSFER_STATUSES],
  ['log_closures', 'kind', CLOSURE_KINDS],
  ['consent_notices', 'kind', CONSENT_NOTICE_KINDS],
  ['notification_preferences', 'kind', NOTIFICATION_KINDS],
  ['concern_categories', 'code', CONCERN_CATEGORY_CODES],
  ['meeting_participants', 'kind', PARTICIPANT_KINDS],
  ['consent_signed_forms', 'source', SIGNED_FORM_SOURCES],
];

/** The quoted values of a CHECK constraint's definition: CHECK (kind IN ('a', 'b')) as PostgreSQL prints it. */
function quotedValues(definition: string): string[] {
  return [...definition.matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

t.test('each domain list has exactly the values the database allows', async (t) => {
  const { db } = await testApp(t);
  for (const [table, column, list] of CHECKED) {
    // The constraints of the table that name the column and list values (not "cancelled_at IS NOT NULL" ones).
    const rows = await db.raw<{ rows: { definition: string }[] }>(
      `SELECT pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
        WHERE c.contype = 'c' AND r.relname = ? AND pg_get_constraintdef(c.oid) ~ ?`,
      [table, `\\m${column}\\M[^=]*(= ANY|IN \\()`],
    );
    const allowed = rows.rows.flatMap((r) => quotedValues(r.definition));
    t.ok(allowed.length > 0, `${table}.${column}: a constraint lists its values`);
    t.same([...new Set(allowed)].sort(), [...list].map(String).sort(), `${table}.${column}`);
  }
});
