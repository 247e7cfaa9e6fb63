/** A PDF print kept as an archive record of a log (the prints feature makes them; meetings and the relay list them). */
import type { PrintReason } from './meetings.js';

export interface ArchivedPrint {
  id: number;
  log_ref: number;
  meeting_id: number | null;
  reason: PrintReason;
  made_by: number | null;
  made_by_name: string | null;
  made_at: Date;
  filename: string;
  size: number;
}
