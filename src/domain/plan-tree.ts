/**
 * The shape of one log's plan as the log page, print and meeting mode render it (types only; the plan's
 * features, the log page, prints and meetings share them).
 */
import type { MeasureStatus } from './plan.js';

export interface StepView {
  id: number;
  position: number;
  text: string;
  done: boolean;
  /** The day it was marked done (Oslo), or null (not done, or done before dates were kept). */
  doneOn: string | null;
}

export interface EvaluationView {
  id: number;
  misregistered: boolean;
  happened: string | null;
  effect: string | null;
  familyEffect: string | null;
  familyView: string;
  comment: string;
  nextStep: string | null;
  evaluatedBy: string;
  evaluatedAt: Date;
}

export interface MeasureView {
  id: number;
  goalId: number;
  concernId: number;
  text: string;
  responsible: 'actor' | 'guardians' | 'child';
  responsibleUserId: number | null;
  /** Display name of the responsible party (actor's name, "Foresatte", the child's first name). */
  responsibleName: string;
  startDate: string;
  deadline: string;
  status: MeasureStatus;
  correctsMeasureId: number | null;
  position: number;
  version: number;
  textWrittenAt: Date;
  steps: StepView[];
  evaluation: EvaluationView | null;
}

export interface GoalView {
  id: number;
  concernId: number;
  text: string;
  owner: 'child' | 'guardian' | 'professional' | null;
  ownerWords: string;
  arena: 'school' | 'home' | 'leisure' | 'network' | null;
  targetDate: string | null;
  status: 'active' | 'achieved' | 'not_achieved' | 'replaced';
  decision: string | null;
  position: number;
  version: number;
  measures: MeasureView[];
}

export interface ConcernView {
  id: number;
  title: string;
  categoryId: number | null;
  /** As stored; for a built-in category the label shown is the message category.<code>. */
  categoryLabel: string | null;
  categoryCode: string | null;
  isActivityPlan: boolean;
  successIndicator: string;
  mfWorldView: string;
  mfCoping: string;
  mfPreconditions: string;
  mfService: string;
  mfHome: string;
  status: 'active' | 'solved' | 'closed';
  closingReason: string | null;
  position: number;
  version: number;
  goals: GoalView[];
}
