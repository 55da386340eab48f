/**
 * Discovery: what runs on a host, for the user to tick what to check — its running and failed systemd
 * services (`systemctl list-units`, systemctl(1)) and its containers (the Docker Engine API), read through
 * the same context a check on that host gets. Each part that cannot be read says why and leaves the other.
 */
import type { DiscoveredUnit, Discovery } from '../../../shared/checks/index.ts';
import { CheckUnavailableError, type CheckContext } from './runner.ts';
import { discoverContainers } from './runners/container.ts';

/** Units listed at most. */
const MAX_UNITS = 2000;

/** The script listing the services that run or failed, one per line, without bullets or legend. */
export const LIST_UNITS_SCRIPT = 'systemctl list-units --type=service --state=running,failed --all --plain --no-legend --no-pager 2>&1';

/**
 * Reads `systemctl list-units --plain --no-legend` lines: `UNIT LOAD ACTIVE SUB DESCRIPTION…` (unit names
 * have no spaces; the description is the rest). Lines that are not so are skipped; at most MAX_UNITS.
 */
export function parseUnitList(output: string): DiscoveredUnit[] {
  const out: DiscoveredUnit[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\S+\.service)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({ unit: m[1]!.slice(0, 256), loadState: m[2]!.slice(0, 32), activeState: m[3]!.slice(0, 32), subState: m[4]!.slice(0, 32), description: m[5]!.trim().slice(0, 300) });
    if (out.length >= MAX_UNITS) break;
  }
  return out;
}

/**
 * The host's services and containers (Engine API at `socket`). Rejects only with CheckUnavailableError
 * (the host cannot be reached); a part that fails is null, with why in `errors`.
 */
export async function discover(context: CheckContext, socket: string): Promise<Discovery> {
  const errors: string[] = [];
  const reason = (error: unknown) => {
    if (error instanceof CheckUnavailableError) throw error;
    return error instanceof Error ? error.message : String(error);
  };
  const [units, containers] = await Promise.all([
    context.runScript(LIST_UNITS_SCRIPT).then((result) => {
      if (result.exitCode === 0) return parseUnitList(result.stdout);
      errors.push(result.exitCode === 127 ? 'systemctl is not installed on this host'
        : `systemctl: ${result.stdout.trim().split('\n')[0]?.slice(0, 300) || `exit code ${result.exitCode}`}`);
      return null;
    }, (error: unknown) => {
      errors.push(`the services could not be listed: ${reason(error)}`);
      return null;
    }),
    discoverContainers(context, socket).catch((error: unknown) => {
      errors.push(reason(error));
      return null;
    }),
  ]);
  return { units, containers, errors };
}
