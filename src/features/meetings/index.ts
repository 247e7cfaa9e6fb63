/**
 * Meetings and meeting mode: registered with one line in app.ts (the printed plan, features/prints, right
 * after it). Not encapsulated, so the meeting-mode hook reaches the plan's own pages (goals, measures) and
 * the prints in the log being shown. Other features use the named exports.
 */
import fp from 'fastify-plugin';
import meetingMode from './meeting-mode.js';
import meetingRoutes from './routes.js';
import meetingModeRoutes from './mode-routes.js';

export { handOverMeetings, meetingsService, type MeetingsService } from './service.js';
export {
  meetingsRepository,
  type MeetingRow,
  type MeetingsRepository,
  type ParticipantRow,
} from './repository.js';

export default fp(
  async (app) => {
    await app.register(meetingMode);
    await app.register(meetingRoutes);
    await app.register(meetingModeRoutes);
  },
  { name: 'meetings', dependencies: ['pdf', 'audit', 'auth'] },
);
