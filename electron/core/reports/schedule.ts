/**
 * When a scheduled report is due: periods are whole local days (daily) or local Monday-to-Monday weeks
 * (weekly), in the engine machine's time zone, reported once each after they end.
 */
import type { ReportSchedule } from '../../../shared/report.ts';

/** A period to report, ms since epoch, [from, to). */
export interface Period {
  from: number;
  to: number;
}

/**
 * The latest period of `schedule` that ended by `now` and that was not reported yet (`lastTo`: the end
 * of the last period written, or null), or null when none is due or the schedule is off. Periods missed
 * while the engine was stopped are not caught up: only the latest one is written.
 */
export function duePeriod(schedule: ReportSchedule, lastTo: number | null, now: Date): Period | null {
  if (schedule.frequency === 'off') return null;
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  let end: Date;
  let start: Date;
  if (schedule.frequency === 'daily') {
    end = midnight;
    start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - 1);
  } else {
    // getDay(): 0 is Sunday; the week ends at the last Monday 00:00.
    const sinceMonday = (midnight.getDay() + 6) % 7;
    end = new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() - sinceMonday);
    start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - 7);
  }
  if (lastTo !== null && lastTo >= end.getTime()) return null;
  return { from: start.getTime(), to: end.getTime() };
}

/** The file name of a report of `period`: `hostwatch-report-2026-11-21.html`, `…-week-2026-11-16.pdf`. */
export function reportFileName(schedule: ReportSchedule, period: Period, extension: string): string {
  const day = new Date(period.from);
  const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  return `hostwatch-report-${schedule.frequency === 'weekly' ? 'week-' : ''}${date}.${extension}`;
}
