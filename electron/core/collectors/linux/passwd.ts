/**
 * Parser of /etc/passwd, for user names of process owners. Source: passwd(5).
 */
import { parseUint } from './text.ts';

/**
 * Maps uid → user name from `name:password:uid:gid:gecos:home:shell` lines; comments, blank and
 * malformed lines are skipped, and the first entry of a uid wins (as getpwuid(3) does). Never throws.
 */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || f[0] === '') continue;
    const uid = parseUint(f[2]!);
    if (uid >= 0 && !users.has(uid)) users.set(uid, f[0]!);
  }
  return users;
}
