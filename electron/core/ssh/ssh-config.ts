/**
 * Hosts from an OpenSSH client config (~/.ssh/config, ssh_config(5)), as candidates to watch: every
 * concrete `Host` alias, with its settings resolved the way ssh resolves them (ssh-config's compute():
 * first value obtained wins, `Host *` defaults and non-exec `Match` blocks apply), mapped to a HostSpec.
 * What Hostwatch cannot do the way ssh would (ProxyCommand, tokens it does not expand, patterns, Include)
 * is reported as skipped with the reason, never guessed. Nothing here runs a command: `Match exec` is not
 * evaluated and host name canonicalisation (which would look names up) is left out.
 */
import { open } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import type { Line } from 'ssh-config';
import { HostSpec } from '../../../shared/hosts.ts';
import type { HostSpecInput, JumpHost } from '../../../shared/hosts.ts';

export interface SshConfigCandidate {
  /** The `Host` alias; also the spec's name. */
  alias: string;
  spec: HostSpec;
}

export interface SshConfigSkip {
  /** The alias, pattern or line skipped (`*.prod`, `Include config.d/*`). */
  pattern: string;
  reason: string;
}

export interface SshConfigHosts {
  candidates: SshConfigCandidate[];
  skipped: SshConfigSkip[];
}

export interface SshConfigOptions {
  /** The local home folder, for `%d` (default: this process's). */
  home?: string;
  /** The user when the config names none (ssh: the local user); also `%u`. */
  defaultUser?: string;
}

/** Refused above this size: a client config is a few KiB. */
export const MAX_SSH_CONFIG_BYTES = 1024 * 1024;

/** The largest number of ProxyJump hops followed through aliases before giving up (HostSpec allows 8). */
const MAX_HOPS = 8;

const PATTERN = /[*?!]/;

/** An entry that cannot be imported as written; the message is the skip reason. */
class Skip extends Error {}

/**
 * The hosts of an ssh client config's text: one candidate per concrete alias (in file order, each once),
 * and what was skipped with why.
 */
export function readSshConfigHosts(text: string, options: SshConfigOptions = {}): SshConfigHosts {
  const home = options.home ?? homedir();
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (error) {
    return { candidates: [], skipped: [{ pattern: 'the whole file', reason: `it cannot be parsed: ${(error as Error).message}` }] };
  }
  const skipped: SshConfigSkip[] = [];
  const aliases: string[] = [];
  const seen = new Set<string>();
  const skip = (pattern: string, reason: string) => {
    if (!skipped.some((s) => s.pattern === pattern)) skipped.push({ pattern, reason });
  };

  const scan = (lines: SSHConfig, inSection: boolean) => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      // Canonicalisation makes compute() run nslookup: without it, names are taken as written.
      if (line.type === LineType.DIRECTIVE && /^Canonical(izeHostName|Domains)$/i.test(line.param)) lines.splice(i, 1);
    }
    for (const line of lines) {
      if (line.type !== LineType.DIRECTIVE) continue;
      if (/^Include$/i.test(line.param)) {
        skip(`Include ${valueText(line)}`, 'Include is not followed: import the included file itself');
      } else if (!inSection && /^Host$/i.test(line.param)) {
        for (const value of values(line)) {
          if (value === '*') skip('*', 'settings for every host, applied to each one listed');
          else if (value.startsWith('!')) skip(value, 'an exclusion from a pattern, not a host');
          else if (PATTERN.test(value)) skip(value, 'a pattern, not one host: its settings apply to the hosts it matches');
          else if (!seen.has(value)) {
            seen.add(value);
            aliases.push(value);
          }
        }
        if ('config' in line) scan(line.config, true);
      } else if (!inSection && /^Match$/i.test(line.param)) {
        if ('criteria' in line && Object.keys(line.criteria).some((k) => k.toLowerCase() === 'exec')) {
          skip(`Match ${valueText(line)}`, 'Match exec is not run: its settings are not applied');
        }
        if ('config' in line) scan(line.config, true);
      }
    }
  };
  scan(config, false);

  const compute = (host: string) => config.compute(host, { ignoreCase: true, matchExec: false });
  const candidates: SshConfigCandidate[] = [];
  for (const alias of aliases) {
    try {
      const input = specInput(alias, compute, home, options.defaultUser);
      const parsed = HostSpec.safeParse(input);
      if (!parsed.success) throw new Skip(parsed.error.issues.map((issue) => issue.message).join('; '));
      candidates.push({ alias, spec: parsed.data });
    } catch (error) {
      if (!(error instanceof Skip)) throw error;
      skip(alias, error.message);
    }
  }
  return { candidates, skipped };
}

type Computed = Record<string, string | string[]>;

/** The HostSpec input for `alias`; throws Skip with the reason when ssh would do what Hostwatch cannot. */
function specInput(alias: string, compute: (host: string) => Computed, home: string, defaultUser: string | undefined): HostSpecInput {
  const c = compute(alias);
  const address = hostName(alias, c);
  const port = portOf(c, 22);
  const user = single(c, 'user') ?? defaultUser;
  if (user === undefined) throw new Skip('it sets no User, and there is no local user name to default to');
  const jump = proxy(alias, c, compute, defaultUser, [alias]);
  const identity = list(c, 'identityfile')[0];
  const identityFile = identity === undefined || identity.toLowerCase() === 'none'
    ? undefined
    : expandTokens(identity, 'IdentityFile', { d: home, h: address, n: alias, p: String(port), r: user, u: defaultUser });
  return {
    name: alias,
    address,
    port,
    user,
    auth: identityFile ? 'identity' : 'auto',
    ...(identityFile ? { identityFile } : {}),
    jump,
  };
}

function single(c: Computed, key: string): string | undefined {
  const value = c[key];
  return Array.isArray(value) ? value[0] : value;
}

function list(c: Computed, key: string): string[] {
  const value = c[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** HostName with its tokens (`%h`, `%%`), else the alias itself. */
function hostName(alias: string, c: Computed): string {
  const name = single(c, 'hostname');
  return name === undefined ? alias : expandTokens(name, 'HostName', { h: alias });
}

function portOf(c: Computed, fallback: number): number {
  const text = single(c, 'port');
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text)) throw new Skip(`Port ${text} is not a port number`);
  return Number(text);
}

/**
 * ProxyJump hops (ProxyCommand refused). Whichever of the two came first wins, as in ssh: compute()
 * keeps each key where it was first set. A hop naming an alias takes that alias's HostName, User, Port
 * and its own ProxyJump (ssh connects to the hop with its config); the hop's user@ and :port win.
 */
function proxy(alias: string, c: Computed, compute: (host: string) => Computed, defaultUser: string | undefined, chain: string[]): JumpHost[] {
  const keys = Object.keys(c);
  const jumpAt = keys.indexOf('proxyjump');
  const commandAt = keys.indexOf('proxycommand');
  const command = single(c, 'proxycommand');
  if (command !== undefined && command.toLowerCase() !== 'none' && (jumpAt < 0 || commandAt < jumpAt)) {
    throw new Skip('ProxyCommand is not supported; use ProxyJump');
  }
  const value = jumpAt < 0 ? undefined : single(c, 'proxyjump');
  if (value === undefined || value.toLowerCase() === 'none') return [];
  const hops: JumpHost[] = [];
  for (const text of value.split(',')) {
    const hop = /^(?:ssh:\/\/)?(?:([^@/\s]+)@)?(\[[^\]\s]+\]|[^:/@\s\[\]]+)(?::(\d{1,5}))?\/?$/.exec(text.trim());
    if (!hop) throw new Skip(`ProxyJump ${text.trim()} is not [user@]host[:port]`);
    const name = hop[2]!.replace(/^\[|\]$/g, '');
    if (chain.includes(name)) throw new Skip(`ProxyJump loops through ${name}`);
    const h = compute(name);
    const before = proxy(name, h, compute, defaultUser, [...chain, name]);
    const user = hop[1] ?? single(h, 'user') ?? defaultUser;
    hops.push(...before, {
      address: hostName(name, h),
      port: hop[3] !== undefined ? Number(hop[3]) : portOf(h, 22),
      ...(user !== undefined ? { user } : {}),
    });
    if (hops.length > MAX_HOPS) throw new Skip(`${alias} goes through more than ${MAX_HOPS} jump hosts`);
  }
  return hops;
}

/**
 * Expands the ssh_config(5) TOKENS Hostwatch knows (`%%`, and those in `values`); any other token, or
 * one without a value here, makes the entry skipped.
 */
function expandTokens(text: string, directive: string, values: Record<string, string | undefined>): string {
  return text.replace(/%(.?)/g, (_, token: string) => {
    if (token === '%') return '%';
    const value = values[token];
    if (value === undefined) {
      throw new Skip(token === ''
        ? `${directive} ends with a lone %`
        : `${directive} uses %${token}, which Hostwatch does not expand`);
    }
    return value;
  });
}

function values(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return typeof line.value === 'string' ? line.value.split(/\s+/).filter(Boolean) : line.value.map((v) => v.val);
}

function valueText(line: Line): string {
  return values(line).join(' ');
}

/** Whether a watched host has this name (any case) or this address and port. */
export function alreadyWatched(spec: HostSpec, hosts: readonly { name: string; spec: HostSpec | null }[]): boolean {
  return hosts.some((h) => h.name.toLowerCase() === spec.name.toLowerCase()
    || (h.spec !== null && h.spec.address.toLowerCase() === spec.address.toLowerCase() && h.spec.port === spec.port));
}

/** `~/.ssh/config` of this process's user, or `path` (a leading `~` is the home folder). */
export function sshConfigPath(path?: string): string {
  if (path === undefined) return join(homedir(), '.ssh', 'config');
  return resolve(path.replace(/^~(?=\/|$)/, homedir()));
}

/** This process's user name: the user ssh logs in as when the config names none. */
export function localUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME;
  }
}

/** The config file's text, or null when there is none. Refuses what is not a file or is over 1 MiB. */
export async function readSshConfigFile(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`${path} is not a file`);
    if (stat.size > MAX_SSH_CONFIG_BYTES) throw new Error(`${path} is over 1 MiB: that is not an ssh client config`);
    const buffer = Buffer.alloc(MAX_SSH_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_SSH_CONFIG_BYTES) throw new Error(`${path} is over 1 MiB: that is not an ssh client config`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * The `hosts.sshConfig` answer: the file's candidates, each with whether it is watched already, and what
 * was skipped. A missing file gives empty lists.
 */
export async function sshConfigImport(path: string | undefined, watched: readonly { name: string; spec: HostSpec | null }[]): Promise<{
  path: string; candidates: { spec: HostSpec; exists: boolean }[]; skipped: SshConfigSkip[];
}> {
  const file = sshConfigPath(path);
  const text = await readSshConfigFile(file);
  if (text === null) return { path: file, candidates: [], skipped: [] };
  const user = localUserName();
  const { candidates, skipped } = readSshConfigHosts(text, user !== undefined ? { defaultUser: user } : {});
  return { path: file, candidates: candidates.map(({ spec }) => ({ spec, exists: alreadyWatched(spec, watched) })), skipped };
}
