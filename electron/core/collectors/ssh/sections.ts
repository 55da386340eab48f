/**
 * Turns the loop's `snapshot` answer into the LinuxSections the snapshotter parses, so a remote host's
 * numbers come from the same code as the local host's. The `files` part is `head` output over several
 * files, which GNU coreutils and BusyBox both print as `==> path <==` header lines with a blank line
 * before every header but the first (GNU head(1), BusyBox head.c).
 */
import type { Answer } from './frame.ts';
import { SNAPSHOT_FILES } from './loop.ts';
import type { LinuxSections, Section } from '../snapshotter.ts';

/** A sensor file of a snapshot (see loop.ts): thermal zone type and temp, hwmon name, input and label. */
const SENSOR_PATH = /^\/sys\/class\/(?:thermal\/thermal_zone\d+\/(?:type|temp)|hwmon\/hwmon\d+\/(?:name|temp\d+_(?:input|label)))$/;

const SNAPSHOT_FILE_SET: ReadonlySet<string> = new Set(SNAPSHOT_FILES);

/** The section of a file the host did not send (head could not read it: absent, or unreadable). */
const NOT_SENT: Section = Object.freeze({ error: 'not readable on the host' });

/**
 * Splits `head` output over several files into each file's text, keyed by path. A header line counts
 * only when its path is one `isExpected` accepts and has not been seen yet, so a file's text cannot
 * start another file unless it forges a header of a file still to come. Text before the first header is
 * dropped. Never throws.
 */
export function splitHeadOutput(text: string, isExpected: (path: string) => boolean): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | null = null;
  let contentStart = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let eol = text.indexOf('\n', lineStart);
    if (eol < 0) eol = text.length;
    const path = headerPath(text, lineStart, eol);
    if (path !== null && isExpected(path) && !files.has(path)) {
      // GNU and BusyBox head print a blank line before every header but the first.
      if (current !== null) files.set(current, text.slice(contentStart, Math.max(contentStart, lineStart - 1)));
      files.set(path, '');
      current = path;
      contentStart = eol + 1;
    }
    lineStart = eol + 1;
  }
  if (current !== null) files.set(current, text.slice(Math.min(contentStart, text.length)));
  return files;
}

/** The path of a `==> path <==` line in text[start, end), or null when it is not one. */
function headerPath(text: string, start: number, end: number): string | null {
  if (end - start < 9 || !text.startsWith('==> ', start) || !text.startsWith(' <==', end - 4)) return null;
  return text.slice(start + 4, end - 4);
}

/** Sensor files as `path:value` lines, what `grep -H . FILES` prints (only lines that are not empty). */
function sensorLines(files: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [path, text] of files) {
    if (!SENSOR_PATH.test(path)) continue;
    for (const line of text.split('\n')) if (line !== '') out += `${path}:${line}\n`;
  }
  return out;
}

/**
 * The sections of a `snapshot` answer (parts `files`, `proc`, `df`). A part or file that is absent
 * becomes a section with an error, so only its metrics are missing. Never throws.
 */
export function snapshotSections(answer: Answer): LinuxSections {
  const filesText = answer.get('files');
  const files = filesText === undefined ? new Map<string, string>()
    : splitHeadOutput(filesText, (p) => SNAPSHOT_FILE_SET.has(p) || SENSOR_PATH.test(p));
  const file = (path: string): Section => files.get(path) ?? NOT_SENT;
  const part = (name: string): Section => answer.get(name) ?? NOT_SENT;
  return {
    stat: file('/proc/stat'),
    meminfo: file('/proc/meminfo'),
    loadavg: file('/proc/loadavg'),
    uptime: file('/proc/uptime'),
    netdev: file('/proc/net/dev'),
    diskstats: file('/proc/diskstats'),
    mountinfo: file('/proc/self/mountinfo'),
    proc: part('proc'),
    // A host without sensors sends none of their files: that is no sensors, not an error.
    thermal: filesText === undefined ? NOT_SENT : sensorLines(files),
    df: part('df'),
  };
}
