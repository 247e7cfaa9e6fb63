/** The meetings' lists: the follow-up plan guide's evaluation questions, answered on a scale of 1 to 5. */
export const EVALUATION_QUESTIONS = [
  'said_what_wanted',
  'understood',
  'talked_about_important',
  'respected',
  'language_clear',
  'help_coherent',
] as const;
export type EvaluationQuestion = (typeof EVALUATION_QUESTIONS)[number];
