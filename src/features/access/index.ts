/** The access feature's public entry: its pages by role (the per-log access check is plugins/access). */
export { default } from './routes.js';
