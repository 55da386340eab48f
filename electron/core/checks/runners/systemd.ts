/**
 * The systemd unit check's runner: one `systemctl show` of one unit (systemctl(1); the properties of
 * org.freedesktop.systemd1(5)), judged here. One unit per call: `systemctl is-active a b` exits 0 when
 * any of them is active.
 */
import type { SystemdCheck } from '../../../../shared/checks/index.ts';
import { abortedReason, CheckUnavailableError, excerptOf, type CheckOutcome, type Runner } from '../runner.ts';
import { shQuote } from './sh-quote.ts';

/** The properties asked for, in the order the detail shows them. */
export const UNIT_PROPERTIES = ['Id', 'LoadState', 'ActiveState', 'SubState', 'Result', 'NRestarts', 'ExecMainStatus', 'MainPID'] as const;

/** `systemctl show` of one unit: its properties by name (values as systemctl prints them). */
export type UnitProperties = Partial<Record<(typeof UNIT_PROPERTIES)[number], string>>;

/**
 * Reads `systemctl show -p A,B …` output: `Name=value` lines (systemctl(1), "show"). Unknown names and
 * lines that are not `Name=value` are ignored; values are kept as printed (at most 1000 characters).
 */
export function parseUnitProperties(output: string): UnitProperties {
  const out: UnitProperties = {};
  const wanted = new Set<string>(UNIT_PROPERTIES);
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    if (wanted.has(name)) out[name as keyof UnitProperties] = line.slice(eq + 1).slice(0, 1000);
  }
  return out;
}

/** What one run found, before the restarts since the last run are counted in. */
export interface UnitVerdict {
  status: 'up' | 'degraded' | 'down';
  reason: string;
}

/**
 * The unit's state in words (systemd.unit(5) load and active states): not found → down; failed → down
 * with its result and exit status; auto-restart (activating between restarts) → down "restarting";
 * active → up; reloading, activating, deactivating → degraded; inactive → down, or up with
 * `inactiveIsUp` when it stopped cleanly (Result=success).
 */
export function judgeUnit(p: UnitProperties, inactiveIsUp: boolean): UnitVerdict {
  const id = p.Id || 'the unit';
  const restarts = p.NRestarts && p.NRestarts !== '0' ? `, restarted ${p.NRestarts} times` : '';
  if (p.LoadState === 'not-found') return { status: 'down', reason: `unit ${id} not found` };
  if (p.LoadState && p.LoadState !== 'loaded') return { status: 'down', reason: `unit ${id} is ${p.LoadState}` };
  const result = p.Result && p.Result !== 'success' ? p.Result : null;
  const exit = p.ExecMainStatus && p.ExecMainStatus !== '0' ? `status ${p.ExecMainStatus}` : null;
  const why = [result, exit].filter((x) => x !== null).join(', ');
  switch (p.ActiveState) {
    case 'active': return { status: 'up', reason: '' };
    case 'failed': return { status: 'down', reason: `failed${why ? ` (${why})` : ''}${restarts}` };
    case 'activating':
      if (p.SubState === 'auto-restart') return { status: 'down', reason: `restarting${why ? ` after ${why}` : ''}${restarts}` };
      return { status: 'degraded', reason: `starting (${p.SubState ?? 'activating'})` };
    case 'reloading': return { status: 'degraded', reason: 'reloading' };
    case 'deactivating': return { status: 'degraded', reason: `stopping (${p.SubState ?? 'deactivating'})` };
    case 'inactive':
      if (inactiveIsUp && (p.Result === undefined || p.Result === 'success')) return { status: 'up', reason: '' };
      return { status: 'down', reason: `inactive (${p.SubState ?? 'dead'}${why ? `, ${why}` : ''})` };
    default:
      return { status: 'down', reason: p.ActiveState ? `in state ${p.ActiveState}` : 'systemctl said nothing about it' };
  }
}

/**
 * Runs a systemd unit check: `systemctl show --no-pager -p … -- UNIT` on the host. Beyond judgeUnit, an
 * active unit restarted since the last run (NRestarts grew) is degraded: a restart loop that happens to
 * be up when looked at. Facts: the properties; metrics hostwatch.systemd.unit.restarts (NRestarts) and
 * hostwatch.systemd.unit.active (1 when active). A host without systemctl or not booted with systemd is
 * down with what systemctl said. Throws CheckUnavailableError when the host cannot be reached.
 */
export const systemdRunner: Runner<SystemdCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });

  let output;
  try {
    output = await context.runScript(`systemctl show --no-pager -p ${UNIT_PROPERTIES.join(',')} -- ${shQuote(spec.unit)} 2>&1`);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    return down(context.signal.aborted ? abortedReason(context) : `systemctl could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
  const p = parseUnitProperties(output.stdout);
  if (output.exitCode !== 0 || p.ActiveState === undefined) {
    const said = output.stdout.trim().split('\n')[0]?.slice(0, 300) ?? '';
    if (output.exitCode === 127) return down('systemctl is not installed on this host');
    return down(said ? `systemctl: ${said}` : `systemctl exited with ${output.exitCode ?? output.signal}`, excerptOf(output.stdout));
  }

  const verdict = judgeUnit(p, spec.inactiveIsUp);
  const restarts = Number(p.NRestarts);
  const before = context.memory.restarts as number | undefined;
  if (Number.isFinite(restarts)) context.memory.restarts = restarts;
  if (verdict.status === 'up' && before !== undefined && restarts > before) {
    verdict.status = 'degraded';
    verdict.reason = `restarted ${restarts - before} ${restarts - before === 1 ? 'time' : 'times'} since the last run (${restarts} in all)`;
  }
  return {
    status: verdict.status,
    reason: verdict.reason,
    durationSeconds: elapsed(),
    excerpt: verdict.status === 'up' ? null : excerptOf(output.stdout),
    details: { facts: UNIT_PROPERTIES.filter((k) => p[k] !== undefined).map((k) => ({ name: k, value: p[k]! })) },
    metrics: [
      ...(Number.isFinite(restarts) ? [{ metric: 'hostwatch.systemd.unit.restarts', attributes: {}, value: restarts }] : []),
      { metric: 'hostwatch.systemd.unit.active', attributes: {}, value: p.ActiveState === 'active' ? 1 : 0 },
    ],
  };
};
