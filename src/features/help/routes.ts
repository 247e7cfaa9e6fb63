/**
 * Help and legal pages, open to everyone (signed in or not; they hold nothing about a child): the help
 * index and one page per topic, the accessibility statement and the privacy page. The long texts are
 * templates per language (views/help/<locale>/…); a language without its own text shows the
 * installation's default language's text, else bokmål's (the source texts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE } from '../../i18n/index.js';
import { viewsDir } from '../../plugins/views.js';
import { HELP_TOPICS } from './topics.js';

/** The template with a text in the reader's language, else the installation's, else bokmål's. */
function textTemplate(request: FastifyRequest, name: string): string {
  for (const locale of [request.locale, request.server.config.defaultLocale]) {
    const own = `/help/${locale}/${name}`;
    if (existsSync(path.join(viewsDir, `${own}.eta`))) return own;
  }
  return `/help/${DEFAULT_LOCALE}/${name}`;
}

export default async function helpRoutes(app: FastifyInstance) {
  const { config } = app;
  app.get('/help', async (_request, reply) => reply.page('help/index', { topics: HELP_TOPICS }));

  for (const topic of HELP_TOPICS) {
    app.get(`/help/${topic.slug}`, async (request, reply) =>
      reply.page('help/topic', {
        topic,
        topics: HELP_TOPICS,
        text: textTemplate(request, topic.slug),
        training: config.training,
      }),
    );
  }

  app.get('/accessibility', async (request, reply) =>
    reply.page('help/legal', {
      heading: request.t('accessibility.title'),
      text: textTemplate(request, 'accessibility'),
      statementUrl: config.accessibilityStatementUrl,
      contact: config.privacyContact,
    }),
  );

  app.get('/privacy', async (request, reply) =>
    reply.page('help/legal', {
      heading: request.t('privacy.title'),
      text: textTemplate(request, 'privacy'),
      contact: config.privacyContact,
      idleMinutes: config.sessionIdleMinutes,
      absoluteHours: config.sessionAbsoluteHours,
      youthAge: config.youthAccessAge,
    }),
  );
}
