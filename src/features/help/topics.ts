/**
 * The help pages: one per topic of the guides (how to write a concern, goals, measures, the staircase,
 * maintaining factors, meetings, plain language), each with its title and one-line summary in the
 * message catalogue and its text as a template per language (views/help/<locale>/<slug>.eta).
 */
import type { MessageKey } from '../../i18n/index.js';

export interface HelpTopic {
  slug: string;
  title: MessageKey;
  summary: MessageKey;
}

export const HELP_TOPICS: readonly HelpTopic[] = [
  { slug: 'concerns', title: 'help.concerns.title', summary: 'help.concerns.summary' },
  { slug: 'goals', title: 'help.goals.title', summary: 'help.goals.summary' },
  { slug: 'measures', title: 'help.measures.title', summary: 'help.measures.summary' },
  { slug: 'staircase', title: 'help.staircase.title', summary: 'help.staircase.summary' },
  {
    slug: 'maintaining-factors',
    title: 'help.maintainingFactors.title',
    summary: 'help.maintainingFactors.summary',
  },
  { slug: 'meetings', title: 'help.meetings.title', summary: 'help.meetings.summary' },
  { slug: 'plain-language', title: 'help.plainLanguage.title', summary: 'help.plainLanguage.summary' },
  { slug: 'training', title: 'help.training.title', summary: 'help.training.summary' },
];
