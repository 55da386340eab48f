/** Quoting for `sh` scripts the checks run on a host. */

/**
 * `text` as one `sh` word that the shell takes literally (POSIX 2.2.3: single quotes; a `'` inside
 * becomes `'\''`). Throws on a NUL, which no shell word can carry.
 */
export function shQuote(text: string): string {
  if (text.includes('\0')) throw new Error('a shell word cannot hold a NUL character');
  return `'${text.replaceAll("'", "'\\''")}'`;
}
