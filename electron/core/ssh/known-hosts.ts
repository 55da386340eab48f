/**
 * OpenSSH's known_hosts, read and matched as ssh(1) does: the file format of sshd(8) "SSH_KNOWN_HOSTS
 * FILE FORMAT" (patterns, `[host]:port`, hashed names, markers) and the verdict ssh gives an offered host
 * key. Also the `SHA256:` fingerprint that `ssh-keygen -lf` prints. Pure functions; nothing here throws.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A host key as offered by a server: its type (`ssh-ed25519`) and its blob (SSH wire format). */
export interface OfferedKey {
  readonly type: string;
  readonly blob: Buffer;
}

/** How a known_hosts line names its hosts. */
export type HostMatcher =
  /** Comma-separated patterns with `*`, `?` and `!` (negation), compared case-insensitively. */
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  /** `|1|salt|hash`: HMAC-SHA1 of the host name, keyed by the salt (both base64). */
  | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer };

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** `@revoked` and `@cert-authority` lines; null for a plain host key. */
  readonly marker: 'revoked' | 'cert-authority' | null;
  readonly hosts: HostMatcher;
  /** The key type as written and as carried in the blob (`ssh-ed25519`, `ssh-rsa`, …). */
  readonly type: string;
  readonly blob: Buffer;
  /** 1-based line number in the text it came from. */
  readonly line: number;
}

/**
 * What ssh would say about an offered key:
 * - `trusted`: a line for this host has this very key;
 * - `changed`: lines for this host have keys of the same type, none of them this one (ssh refuses:
 *   "REMOTE HOST IDENTIFICATION HAS CHANGED");
 * - `revoked`: a `@revoked` line for this host lists this key (ssh refuses);
 * - `unknown`: no line for this host has a key of this type. This includes a host known only by keys of
 *   other types, where ssh asks as for a new host and adds that keys of other types are known for it.
 */
export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed' | 'revoked';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HASHED = /^\|1\|([A-Za-z0-9+/]+={0,2})\|([A-Za-z0-9+/]+={0,2})$/;

/**
 * Parses known_hosts text. Comments, blank lines, lines with an unknown marker, RSA1 keys and lines whose
 * key does not decode (bad base64, a blob whose type is not the type written) are skipped, as ssh skips them.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const entry = parseLine(lines[i]!, i + 1);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(raw: string, line: number): KnownHostEntry | null {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/[ \t]+/);
  let marker: KnownHostEntry['marker'] = null;
  if (fields[0]!.startsWith('@')) {
    const word = fields.shift()!;
    if (word === '@revoked') marker = 'revoked';
    else if (word === '@cert-authority') marker = 'cert-authority';
    else return null;
  }
  const [hostField, type, base64] = fields;
  if (hostField === undefined || type === undefined || base64 === undefined || !BASE64.test(base64)) return null;
  const hosts = parseHosts(hostField);
  const blob = Buffer.from(base64, 'base64');
  if (hosts === null || keyTypeOf(blob) !== type) return null;
  return { marker, hosts, type, blob, line };
}

function parseHosts(field: string): HostMatcher | null {
  if (field.startsWith('|')) {
    const match = HASHED.exec(field);
    if (!match) return null;
    const salt = Buffer.from(match[1]!, 'base64');
    const hash = Buffer.from(match[2]!, 'base64');
    // SHA-1 sizes; OpenSSH skips a hashed name of any other shape.
    return salt.length === 20 && hash.length === 20 ? { kind: 'hashed', salt, hash } : null;
  }
  const patterns = field.split(',').filter((p) => p !== '' && p !== '!');
  return patterns.length > 0 ? { kind: 'patterns', patterns } : null;
}

/**
 * The name ssh looks a host up by: the address for port 22, `[address]:port` otherwise; lower case, as
 * ssh lowercases the host name before matching or hashing it.
 */
export function knownHostsName(address: string, port: number): string {
  const host = address.toLowerCase();
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * Whether a line's hosts include `name` (a knownHostsName). Patterns follow OpenSSH's match_hostname: a
 * matching negated pattern (`!pattern`) excludes the host whatever the other patterns say.
 */
export function hostMatches(hosts: HostMatcher, name: string): boolean {
  if (hosts.kind === 'hashed') {
    const digest = createHmac('sha1', hosts.salt).update(name).digest();
    return timingSafeEqual(digest, hosts.hash);
  }
  let positive = false;
  for (const pattern of hosts.patterns) {
    const negated = pattern.startsWith('!');
    if (!wildcard(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** An OpenSSH pattern (`*` any run, `?` one character, everything else literal) as an anchored RegExp. */
function wildcard(pattern: string): RegExp {
  const source = pattern.toLowerCase().replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${source}$`, 's');
}

/**
 * The verdict ssh gives `key` offered by `address`:`port`, against known_hosts entries (see HostKeyVerdict).
 * `@cert-authority` lines do not vouch for plain keys and are ignored; a key listed `@revoked` for this
 * host is refused even when another line trusts it. Key types compare as ssh compares them: ECDSA keys of
 * different curves count as one type, so a new curve for a known ECDSA host is `changed`.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], address: string, port: number, key: OfferedKey): HostKeyVerdict {
  const name = knownHostsName(address, port);
  const family = keyFamily(key.type);
  let trusted = false;
  let sameType = false;
  for (const entry of entries) {
    if (entry.marker === 'cert-authority' || !hostMatches(entry.hosts, name)) continue;
    const same = entry.blob.equals(key.blob);
    if (entry.marker === 'revoked') {
      if (same) return 'revoked';
      continue;
    }
    if (same) trusted = true;
    else if (keyFamily(entry.type) === family) sameType = true;
  }
  return trusted ? 'trusted' : sameType ? 'changed' : 'unknown';
}

function keyFamily(type: string): string {
  return type.startsWith('ecdsa-sha2-') ? 'ecdsa' : type;
}

/** `SHA256:` and the unpadded base64 of the blob's SHA-256, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The key type a blob (SSH wire format, RFC 4253 §6.6) starts with, or null when the blob is too short
 * to hold it or the type is not printable ASCII.
 */
export function keyTypeOf(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  const type = blob.toString('latin1', 4, 4 + length);
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}

/** A known_hosts line for a key, as ssh writes it when the user accepts a new host (unhashed). */
export function knownHostsLine(address: string, port: number, key: OfferedKey): string {
  return `${knownHostsName(address, port)} ${key.type} ${key.blob.toString('base64')}`;
}
