/**
 * Counts processes from a listing of /proc: one directory per process, named by its pid. This is
 * what `ps -e | wc -l` counts; /proc/loadavg's "running/total" field counts threads instead, which on
 * any host running a JVM or a browser is several times more. Source: proc(5), "/proc/[pid]".
 */

/** Whether a /proc entry name is a pid (only ASCII digits). */
export function isPid(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Counts the pid entries of a /proc listing given as text, one name per line (what `ls -1 /proc`
 * prints; `ls /proc`'s columns work too as names never contain blanks). Never throws.
 */
export function countProcesses(listing: string): number {
  let count = 0;
  let start = 0;
  const n = listing.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? listing.charCodeAt(i) : 10;
    if (c === 10 || c === 32 || c === 9) {
      if (i > start && isPid(listing.slice(start, i))) count++;
      start = i + 1;
    }
  }
  return count;
}
