/**
 * Maintenance windows: times when the alerts of some hosts (or any labels, as silences match them) tell
 * nobody — once, from one instant to another, or every week on chosen days between two wall-clock times
 * of a time zone (`Mon–Fri 02:00–04:00 Europe/Berlin`), daylight saving included. A window whose end is
 * not after its start runs past midnight into the next day.
 */
import { z } from 'zod';
import { Matcher } from './silences.ts';

/** Days as Date.getDay numbers them: 0 Sunday … 6 Saturday. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM, 00:00 to 23:59');

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const MaintenanceSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), startsAt: z.number().int().nonnegative(), endsAt: z.number().int().nonnegative() })
    .refine((s) => s.endsAt > s.startsAt, { message: 'It must end after it starts', path: ['endsAt'] }),
  z.object({
    kind: z.literal('weekly'),
    /** 0 Sunday … 6 Saturday: the days the window starts on. */
    days: z.array(z.number().int().min(0).max(6)).min(1, 'Pick at least one day').max(7),
    start: WallTime,
    end: WallTime,
    timeZone: z.string().refine(isTimeZone, 'Not a time zone (like Europe/Berlin or UTC)'),
  }).refine((s) => s.start !== s.end, { message: 'It must end at another time than it starts', path: ['end'] }),
]);
export type MaintenanceSchedule = z.infer<typeof MaintenanceSchedule>;

export const MaintenanceSpec = z.object({
  name: z.string().trim().min(1, 'Name the window').max(120),
  /** Which alerts it quiets, as a silence's matchers (`host=web1`, `hostname=~"db.*"`). */
  matchers: z.array(Matcher).min(1, 'Say which alerts: at least one matcher, like host=web1').max(20),
  schedule: MaintenanceSchedule,
});
export type MaintenanceSpec = z.infer<typeof MaintenanceSpec>;

export const MaintenanceWindow = z.object({ id: z.number().int(), createdAt: z.number() }).and(MaintenanceSpec);
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

const parts = new Map<string, Intl.DateTimeFormat>();

/** The weekday (0 Sunday) and minutes since midnight of instant `ms` on the clocks of `zone`. */
export function wallClock(ms: number, zone: string): { day: number; minutes: number } {
  let format = parts.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    parts.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(ms).map((x) => [x.type, x.value]));
  const day = WEEKDAYS.indexOf((p.weekday ?? 'Sun').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  return { day, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** Whether instant `now` (ms) falls in the window. */
export function inMaintenance(schedule: MaintenanceSchedule, now: number): boolean {
  if (schedule.kind === 'once') return schedule.startsAt <= now && now < schedule.endsAt;
  const { day, minutes } = wallClock(now, schedule.timeZone);
  const start = toMinutes(schedule.start);
  const end = toMinutes(schedule.end);
  if (end > start) return schedule.days.includes(day) && minutes >= start && minutes < end;
  // Past midnight: the evening of a chosen day, or the early hours after one.
  return (schedule.days.includes(day) && minutes >= start) || (schedule.days.includes((day + 6) % 7) && minutes < end);
}

function toMinutes(wall: string): number {
  return Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5));
}

/** A schedule as people read it: "Mon, Wed 02:00–04:00 Europe/Berlin", or the two instants as ISO. */
export function scheduleText(schedule: MaintenanceSchedule): string {
  if (schedule.kind === 'once') return `${new Date(schedule.startsAt).toISOString()} – ${new Date(schedule.endsAt).toISOString()}`;
  const days = [...schedule.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => WEEKDAYS[d]![0]!.toUpperCase() + WEEKDAYS[d]!.slice(1, 3));
  return `${days.join(', ')} ${schedule.start}–${schedule.end} ${schedule.timeZone}`;
}
