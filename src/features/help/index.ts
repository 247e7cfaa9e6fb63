/** Help and legal pages: the routes plugin, and the list of help topics. */
export { default } from './routes.js';
export { HELP_TOPICS, type HelpTopic } from './topics.js';
