/**
 * The host form's model: what the user types (strings), how it becomes a HostSpec and the secret
 * parameter of hosts.add / hosts.edit, and the validation issues per field, from HostSpec.safeParse
 * plus the conversions it cannot see (port and interval as text, ProxyJump rows as `user@host:port`).
 */
import type { AuthMethod, HostSpec, JumpHost } from '../../../../shared/hosts.ts';
import { HostSpec as HostSpecSchema, parseJump, parseSshUrl } from '../../../../shared/hosts.ts';
import { durationText, parseDuration } from '../../../../shared/duration.ts';

export interface HostForm {
  name: string;
  address: string;
  port: string;
  user: string;
  auth: AuthMethod;
  identityFile: string;
  /** A new password or passphrase; '' keeps the stored one (editing) or gives none (adding). */
  secret: string;
  /** Editing only: forget the stored secret on save. */
  forgetSecret: boolean;
  /** ProxyJump hops as typed, first hop first; empty rows are ignored. */
  jump: string[];
  /** Polling interval as typed: "5", "5s", "1m". */
  interval: string;
  enabled: boolean;
  /** The commands the host's command checks may run, as typed; rows with both fields empty are ignored. */
  commands: CommandRow[];
}

/** One command of the host's settings as typed: the name checks use, and the command for `sh`. */
export interface CommandRow { name: string; command: string }

export type HostField = 'name' | 'address' | 'port' | 'user' | 'auth' | 'identityFile' | 'secret' | 'jump' | 'interval';
export type HostIssues = Partial<Record<HostField, string>> & {
  jumpRows?: Record<number, string>;
  /** Per command row, the issue of its name or its command. */
  commandRows?: Record<number, Partial<Record<keyof CommandRow, string>>>;
};

/** Whether a host being edited has a secret stored (hosts.get's `hasSecret`); false when adding. */
export interface SecretContext { editing: boolean; hasSecret: boolean }

export const AUTH_METHODS: readonly { value: AuthMethod; label: string; hint: string }[] = [
  { value: 'auto', label: 'Automatic (agent, then identity file)', hint: 'As ssh does: keys in your SSH agent first, then the identity file if you give one.' },
  { value: 'agent', label: 'SSH agent', hint: 'Keys held by your running ssh-agent (SSH_AUTH_SOCK).' },
  { value: 'identity', label: 'Identity file (private key)', hint: 'A private key file on this computer, with its passphrase if it has one.' },
  { value: 'password', label: 'Password', hint: 'The user’s password; stored encrypted, never shown again.' },
  { value: 'keyboard-interactive', label: 'Keyboard-interactive', hint: 'Password prompts answered by the server’s keyboard-interactive login (PAM).' },
];

export function emptyHostForm(): HostForm {
  return {
    name: '', address: '', port: '22', user: '', auth: 'auto', identityFile: '', secret: '', forgetSecret: false,
    jump: [], interval: '5', enabled: true, commands: [],
  };
}

/** A hop as the user writes it: `user@host:port`, the port left out when it is 22, IPv6 in brackets. */
export function jumpText(hop: JumpHost): string {
  const address = hop.address.includes(':') ? `[${hop.address}]` : hop.address;
  return `${hop.user ? `${hop.user}@` : ''}${address}${hop.port !== 22 ? `:${hop.port}` : ''}`;
}

export function formFromSpec(spec: HostSpec): HostForm {
  return {
    name: spec.name,
    address: spec.address,
    port: String(spec.port),
    user: spec.user,
    auth: spec.auth,
    identityFile: spec.identityFile ?? '',
    secret: '',
    forgetSecret: false,
    jump: spec.jump.map(jumpText),
    interval: durationText(spec.intervalSeconds),
    enabled: spec.enabled,
    commands: spec.commands.map((c) => ({ name: c.name, command: c.command })),
  };
}

/**
 * What a pasted or typed address holds, when it is more than a host: `user@host`, `host:port`,
 * `user@host:port`, `[2001:db8::1]:2222` or `ssh://user@host:port`. Null for a plain host name or a bare
 * IPv6 address (nothing to split), or text that is not an address.
 */
export function splitAddress(text: string): { address: string; port?: number; user?: string } | null {
  const t = text.trim();
  if (!/[@\]]|^ssh:\/\/|^[^:]+:\d+$/.test(t)) return null;
  const url = parseSshUrl(t.startsWith('ssh://') ? t : `ssh://${t}`);
  if (!url) return null;
  const hasPort = /:\d+\/?$/.test(t);
  return {
    address: url.address,
    ...(hasPort ? { port: url.port } : {}),
    ...(url.user ? { user: url.user } : {}),
  };
}

/** Whether the secret field applies to this authentication, and what it is called. */
export function secretKind(form: Pick<HostForm, 'auth' | 'identityFile'>): 'password' | 'passphrase' | null {
  switch (form.auth) {
    case 'password':
    case 'keyboard-interactive':
      return 'password';
    case 'identity':
      return 'passphrase';
    case 'auto':
      return form.identityFile.trim() ? 'passphrase' : null;
    case 'agent':
      return null;
  }
}

/**
 * The secret parameter to send: a new secret (string), null to forget the stored one (editing), or
 * undefined to keep it / give none. A secret typed for an authentication that takes none is not sent.
 */
export function secretParam(form: HostForm, ctx: SecretContext): string | null | undefined {
  if (ctx.editing && form.forgetSecret) return null;
  if (secretKind(form) === null) return undefined;
  return form.secret === '' ? undefined : form.secret;
}

export interface Validated {
  spec: HostSpec | null;
  issues: HostIssues;
}

const MAX_INTERVAL = 3600;
const SPEC_FIELDS = new Set<string>(['name', 'address', 'port', 'user', 'auth', 'identityFile', 'jump']);

/** The form as a HostSpec, or the issues to show next to each field. */
export function validateHostForm(form: HostForm, ctx: SecretContext = { editing: false, hasSecret: false }): Validated {
  const issues: HostIssues = {};

  const portText = form.port.trim();
  let port: number | undefined;
  if (portText === '') port = undefined;
  else if (/^\d{1,5}$/.test(portText)) port = Number(portText);
  else issues.port = 'Ports go from 1 to 65535';

  const seconds = parseDuration(form.interval);
  if (seconds === null) issues.interval = 'Write it like 5, 30s or 1m';
  else if (seconds < 1) issues.interval = 'Poll at most once a second';
  else if (seconds > MAX_INTERVAL) issues.interval = 'Poll at least once an hour';

  const jump: JumpHost[] = [];
  form.jump.forEach((row, i) => {
    if (row.trim() === '') return;
    const hop = parseJump(row);
    if (hop) jump.push(hop);
    else issues.jumpRows = { ...issues.jumpRows, [i]: 'Write it as user@host:port, e.g. admin@bastion.example.com:22' };
  });
  // Rows as the schema sees them (empty ones dropped), to map its issues back to the rows shown.
  const rowOf = form.jump.map((row, i) => ({ row, i })).filter(({ row }) => row.trim() !== '' && parseJump(row)).map(({ i }) => i);

  const commandRowOf = form.commands.map((row, i) => ({ row, i })).filter(({ row }) => row.name.trim() !== '' || row.command.trim() !== '').map(({ i }) => i);
  const commands = commandRowOf.map((i) => ({ name: form.commands[i]!.name.trim(), command: form.commands[i]!.command }));

  const kind = secretKind(form);
  const keeping = ctx.editing && ctx.hasSecret && !form.forgetSecret;
  if (kind === 'password' && form.secret === '' && !keeping) {
    issues.secret = form.auth === 'password' ? 'Enter the password' : 'Enter the password the server will ask for';
  }
  if (form.secret.length > 4096) issues.secret = 'That is too long for a password or passphrase';

  const address = form.address.trim();
  const name = form.name.trim() || address;
  const candidate = {
    name,
    address,
    ...(port !== undefined ? { port } : {}),
    user: form.user,
    auth: form.auth,
    ...(form.identityFile.trim() ? { identityFile: form.identityFile.trim() } : {}),
    jump,
    intervalSeconds: seconds ?? 5,
    enabled: form.enabled,
    commands,
  };
  const parsed = HostSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index] = issue.path;
      if (head === 'jump' && typeof index === 'number') {
        const row = rowOf[index] ?? index;
        if (!issues.jumpRows?.[row]) issues.jumpRows = { ...issues.jumpRows, [row]: issue.message };
      } else if (head === 'commands' && typeof index === 'number') {
        const row = commandRowOf[index] ?? index;
        const field = issue.path[2] === 'command' ? 'command' : 'name';
        issues.commandRows = { ...issues.commandRows, [row]: { [field]: issue.message, ...issues.commandRows?.[row] } };
      } else if (head === 'commands') {
        issues.commandRows = { ...issues.commandRows, 0: { name: issue.message, ...issues.commandRows?.[0] } };
      } else if (head === 'intervalSeconds') {
        issues.interval ??= issue.message;
      } else if (head === 'name' && form.name.trim() === '') {
        // The name defaults to the address: its issue is the address's, shown there.
      } else if (typeof head === 'string' && SPEC_FIELDS.has(head) && !(head in issues)) {
        (issues as Record<string, string>)[head] = issue.message;
      }
    }
  }
  const ok = parsed.success && Object.keys(issues).length === 0;
  return { spec: ok ? parsed.data : null, issues };
}

/** Whether any issue is shown for the form (field or jump row). */
export function hasIssues(issues: HostIssues): boolean {
  return Object.keys(issues).some((k) => k !== 'jumpRows' && k !== 'commandRows') || Object.keys(issues.jumpRows ?? {}).length > 0
    || Object.keys(issues.commandRows ?? {}).length > 0;
}

/** Whether two specs reach the same host the same way (a test result stays valid while they do). */
export function sameConnection(a: HostSpec | null, b: HostSpec | null): boolean {
  if (!a || !b) return false;
  const pick = (s: HostSpec) => JSON.stringify([s.address, s.port, s.user, s.auth, s.identityFile ?? '', s.jump]);
  return pick(a) === pick(b);
}
