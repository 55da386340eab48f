/**
 * What to tell the user about a host's connection, in their words: "since 14:02 (12 min)", what each
 * state means and what to do about it, the test stages' names, and API errors of host actions.
 */
import type { HostStatus } from '../../../shared/api.ts';
import { formatDuration } from '../../../shared/format.ts';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** A moment as a person reads it: the time alone today, with the date on another day. */
export function momentText(ms: number, now: number): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? time.format(ms) : dayTime.format(ms);
}

/** "since 14:02 (12 min)", "since 3 Nov, 09:15 (2 d 5 h)". */
export function sinceText(since: number, now: number): string {
  return `since ${momentText(since, now)} (${formatDuration(Math.max(0, (now - since) / 1000))})`;
}

/** A date alone: "3 Nov 2026". */
export function dateText(ms: number): string {
  return day.format(ms);
}

export interface StateExplanation {
  /** One line: what is going on. */
  title: string;
  /** What to check or do, when there is something. */
  advice: string | null;
}

/**
 * Why a host that is not online has no values, and what the user can do; null when it is online. The
 * host's last error (already in the user's words) is shown beside this, not repeated in it.
 */
export function explainState(host: Pick<HostStatus, 'name' | 'state' | 'since' | 'address'>, now: number): StateExplanation | null {
  const name = host.name;
  const since = sinceText(host.since, now);
  switch (host.state) {
    case 'online':
      return null;
    case 'connecting':
      return { title: `Connecting to ${name}${host.address ? ` (${host.address})` : ''}…`, advice: null };
    case 'unreachable':
      return {
        title: `${name} is unreachable ${since}.`,
        advice: 'Hostwatch keeps retrying. Check that the machine is running, that the address and port are right, '
          + 'and that no firewall blocks SSH from this computer.',
      };
    case 'auth_failed':
      return {
        title: `${name} refused the login ${since}.`,
        advice: 'Check the user name; that your key is in that user’s ~/.ssh/authorized_keys on the server (or held by '
          + 'your SSH agent); that the identity file and its passphrase are right; or the password.',
      };
    case 'host_key_unknown':
      return {
        title: `${name} offered a host key Hostwatch has not seen before.`,
        advice: 'Nothing is collected until you trust it. Compare the fingerprint with the one the server shows '
          + '(on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and trust it only if they match.',
      };
    case 'host_key_changed':
      return {
        title: `Host key for ${name} changed since ${dateText(host.since)} — if you reinstalled it, accept the new key; otherwise do not connect.`,
        advice: 'A changed key can mean the server was reinstalled, or that someone is between you and it. '
          + 'Hostwatch sends nothing to this host until you decide.',
      };
    case 'error':
      return { title: `Collecting from ${name} fails ${since}.`, advice: 'Hostwatch retries by itself; the reason is below.' };
    case 'paused':
      return { title: `Paused ${since}.`, advice: `Hostwatch does not connect to ${name} until you resume it.` };
  }
}

/** Why a gauge of a host shows "—" (tooltip), when the host is not online. */
export function unknownBecause(host: Pick<HostStatus, 'name' | 'state' | 'lastError'>, word: string): string {
  if (host.state === 'paused') return `${host.name} is paused`;
  return `${host.name}: ${word.toLowerCase()}${host.lastError ? ` — ${host.lastError}` : ''}`;
}

export type TestStage = 'resolve' | 'connect' | 'host_key' | 'auth' | 'first_poll';

/** The stages of a connection test, in order, with their names. */
export const TEST_STAGES: readonly { stage: TestStage; label: string }[] = [
  { stage: 'resolve', label: 'Resolving the address' },
  { stage: 'connect', label: 'Connecting' },
  { stage: 'host_key', label: 'Checking the host key' },
  { stage: 'auth', label: 'Logging in' },
  { stage: 'first_poll', label: 'First poll' },
];

/** "12 ms", "1.4 s". */
export function msText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * An error of a host action (add, edit, test…) in the user's words. `err` is an ApiError (code and
 * message) or anything thrown; `doing` is what failed ("save the host").
 */
export function hostActionError(err: unknown, doing: string): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'unknown_method':
      return `Could not ${doing}: this engine does not manage remote hosts yet. Update Hostwatch and try again.`;
    case 'disconnected':
      return `Could not ${doing}: the engine is not connected. Try again once it is back.`;
    case 'timeout':
      return `Could not ${doing}: the engine did not answer in time. Try again.`;
    case 'not_found':
      return `Could not ${doing}: Hostwatch no longer knows this host (removed elsewhere?).`;
    default:
      return `Could not ${doing}: ${message}`;
  }
}
