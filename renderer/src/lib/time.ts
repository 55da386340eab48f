/** Times for people: local time zone, with the zone shown where it matters (alert history). */

const withZone = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  timeZoneName: 'short',
});
const hms = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHm = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** "3 Nov 2026, 14:02:11 CET". */
export function formatDateTime(ms: number): string {
  return withZone.format(ms);
}

/** A time-axis tick for a chart spanning `spanMs`. */
export function formatTick(ms: number, spanMs: number): string {
  if (spanMs <= 3 * 60_000) return hms.format(ms);
  if (spanMs <= 26 * 3600_000) return hm.format(ms);
  if (spanMs <= 8 * 86400_000) return dayHm.format(ms);
  return dayMonth.format(ms);
}

/** The instant under the chart's hover, in full. */
export function formatInstant(ms: number): string {
  return full.format(ms);
}

/** An instant within the next days, short: "17:24" today, else "Sun 09:00". */
export function formatSoon(ms: number, now: number): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? hm.format(ms) : dayHm.format(ms);
}

/** The local time zone's name, e.g. "Europe/Berlin". */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const dayTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "Sat, 22 Nov, 14:02 – Sun, 23 Nov, 14:02 (Europe/Berlin)": a report's range, with the zone. */
export function formatRangeWithZone(from: number, to: number): string {
  return `${dayTime.format(from)} – ${dayTime.format(to)} (${localZone()})`;
}
