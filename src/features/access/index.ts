/**
 * The access feature's public entry: its pages by role (actor, family, unit leader, administrator, read
 * grants, the audit trail, staff accounts), the staff service and the drafts plugin (drafts while
 * typing). The per-log access check itself is the plugin src/plugins/access.
 */
export { default } from './routes.js';
export { staffService, type StaffService } from './staff-service.js';
export { default as drafts } from './drafts.js';
export { activityRepository } from './activity-repository.js';
export { peopleRepository } from './people-repository.js';
export { draftsRepository } from './drafts-repository.js';
