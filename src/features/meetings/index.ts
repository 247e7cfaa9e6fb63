/**
 * Meetings, meeting mode and the printed plan: registered with one line in app.ts. Not encapsulated, so
 * the meeting-mode hook reaches the plan's own pages (goals, measures) in the log being shown.
 */
import fp from 'fastify-plugin';
import meetingMode from './meeting-mode.js';
import meetingRoutes from './routes.js';
import meetingModeRoutes from './mode-routes.js';
import printRoutes from '../prints/routes.js';
import { meetingsRepository } from './repository.js';

export { handOverMeetings } from './service.js';

export default fp(
  async (app) => {
    await app.register(meetingMode);
    await app.register(meetingRoutes);
    await app.register(meetingModeRoutes);
    const meetings = meetingsRepository(app.db);
    await app.register(printRoutes, { meetingPart: meetings.findPart });
  },
  { name: 'meetings', dependencies: ['pdf', 'audit', 'auth'] },
);
