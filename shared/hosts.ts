/**
 * Remote hosts, in OpenSSH's words: a host is reached at an address and port as a user, authenticated
 * by the agent, an identity file, a password or keyboard-interactive, possibly through ProxyJump hops.
 * These are the settings the user gives (UI form, `hostwatch hosts add`, ~/.ssh/config import);
 * secrets (password, passphrase) travel separately, write-only, and are never returned.
 */
import { z } from 'zod';
import { CommandName } from './checks/command.ts';

/** A DNS name, IPv4 or IPv6 address: no spaces, no shell or URL syntax. */
const Address = z.string().trim().min(1, 'Enter the host name or address')
  .max(253, 'That host name is too long')
  .regex(/^[A-Za-z0-9._:%-]+$/, 'A host name has only letters, digits, dots, dashes and colons');

/** A user name as OpenSSH accepts it. */
const User = z.string().trim().min(1, 'Enter the user to log in as').max(64)
  .regex(/^[A-Za-z0-9._][A-Za-z0-9._@-]*$/, 'A user name has only letters, digits, dots, dashes and underscores');

const Port = z.number().int().min(1, 'Ports go from 1 to 65535').max(65535, 'Ports go from 1 to 65535');

/** One ProxyJump hop: `user@address:port`. The user defaults to the host's user. */
export const JumpHost = z.object({
  address: Address,
  port: Port.default(22),
  user: User.optional(),
});
export type JumpHost = z.infer<typeof JumpHost>;

/** How to authenticate. `auto` tries the agent, then the identity file, as ssh does. */
export const AuthMethod = z.enum(['auto', 'agent', 'identity', 'password', 'keyboard-interactive']);
export type AuthMethod = z.infer<typeof AuthMethod>;

/** A command of a host's settings, run by its command checks: `name` as checks refer to it, `command` given to `sh`. */
export const HostCommand = z.object({
  name: CommandName,
  command: z.string().trim().min(1, 'Enter the command to run').max(4096, 'Keep the command under 4096 characters')
    .regex(/^[^\u0000]*$/, 'A command has no NUL characters'),
});
export type HostCommand = z.infer<typeof HostCommand>;

/** The user's settings of a remote host. Intervals in seconds. */
export const HostSpec = z.object({
  name: z.string().trim().min(1, 'Give the host a name').max(64, 'Keep the name under 64 characters'),
  address: Address,
  port: Port.default(22),
  user: User,
  auth: AuthMethod.default('auto'),
  /** Path of the private key on this machine (`~` is the home folder). */
  identityFile: z.string().trim().max(4096).optional(),
  /** ProxyJump hops, first hop first. */
  jump: z.array(JumpHost).max(8, 'At most 8 jump hosts').default([]),
  intervalSeconds: z.number().min(1).max(3600).default(5),
  enabled: z.boolean().default(true),
  /**
   * Commands the host's command checks may run (Nagios plugins and the like), by name: typed here by the
   * user and nowhere else, so a check, an import or an answer from a host never brings text to run.
   */
  commands: z.array(HostCommand).max(100, 'At most 100 commands').default([]),
}).superRefine((spec, ctx) => {
  const names = new Set<string>();
  spec.commands.forEach((c, i) => {
    if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['commands', i, 'name'], message: 'Another command has this name' });
    names.add(c.name);
  });
  if (spec.auth === 'identity' && !spec.identityFile) {
    ctx.addIssue({ code: 'custom', path: ['identityFile'], message: 'Choose the identity file (private key)' });
  }
});
export type HostSpec = z.infer<typeof HostSpec>;
export type HostSpecInput = z.input<typeof HostSpec>;

/** A secret given with a host: its password (password, keyboard-interactive) or its key's passphrase. */
export const HostSecret = z.string().min(1).max(4096);

/** A host key as OpenSSH shows it: type (`ssh-ed25519`) and `SHA256:` fingerprint. */
export const HostKey = z.object({
  type: z.string(),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
});
export type HostKey = z.infer<typeof HostKey>;

/**
 * `ssh://user@host:port` (the form `hostwatch hosts add` takes) → address, port and user; null when it
 * is not such a URL. IPv6 addresses go in brackets: `ssh://root@[2001:db8::1]:2222`.
 */
export function parseSshUrl(text: string): { address: string; port: number; user: string | undefined } | null {
  const match = /^ssh:\/\/(?:([^@/\s]+)@)?(\[[0-9A-Fa-f:.%]+\]|[^:/@\s\[\]]+)(?::(\d{1,5}))?\/?$/.exec(text.trim());
  if (!match) return null;
  const port = match[3] === undefined ? 22 : Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { user: match[1], address: match[2]!.replace(/^\[|\]$/g, ''), port };
}

/** `user@address:port` (a ProxyJump hop as written on the command line and in ~/.ssh/config). */
export function parseJump(text: string): JumpHost | null {
  const url = parseSshUrl(`ssh://${text.trim()}`);
  return url ? { address: url.address, port: url.port, ...(url.user ? { user: url.user } : {}) } : null;
}
