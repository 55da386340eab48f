/**
 * Discovery as the user ticks it: each service and container found on a host, whether a check already
 * watches it, and the checks to add for what was ticked (a systemd check per unit, a container check per
 * container, named after what they watch).
 */
import { CheckSpec } from '../../../../shared/checks/index.ts';
import type { CheckStatus, DiscoveredContainer, DiscoveredUnit, Discovery } from '../../../../shared/checks/index.ts';

/** One thing found, as a row of the list: its key (`unit:nginx.service`, `container:web`), what it is, its state. */
export interface Choice {
  key: string;
  kind: 'unit' | 'container';
  name: string;
  detail: string;
  /** The state as found: "active/running", "failed/failed", "running (unhealthy)". */
  state: string;
  /** Whether it looks bad now (failed, exited, unhealthy): worth a check first. */
  bad: boolean;
  /** A check of this host already watches it. */
  watched: boolean;
}

/** The rows of `found` on `host`, failed ones first, each marked when a check already watches it. */
export function choicesOf(found: Discovery, host: string, checks: readonly CheckStatus[]): Choice[] {
  const mine = checks.filter((c) => c.spec.host === host);
  const unitWatched = (u: DiscoveredUnit) => mine.some((c) => c.spec.type === 'systemd' && unitName(c.spec.unit) === u.unit);
  const containerWatched = (c: DiscoveredContainer) => mine.some((x) => x.spec.type === 'container' && (x.spec.container === c.name || x.spec.container === '*'));
  const units: Choice[] = (found.units ?? []).map((u) => ({
    key: `unit:${u.unit}`, kind: 'unit', name: u.unit, detail: u.description, state: `${u.activeState}/${u.subState}`,
    bad: u.activeState === 'failed', watched: unitWatched(u),
  }));
  const containers: Choice[] = (found.containers ?? []).map((c) => ({
    key: `container:${c.name}`, kind: 'container', name: c.name, detail: c.image,
    state: c.health ? `${c.state} (${c.health})` : c.state,
    bad: c.state !== 'running' || c.health === 'unhealthy', watched: containerWatched(c),
  }));
  const order = (a: Choice, b: Choice) => Number(b.bad) - Number(a.bad) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...units.sort(order), ...containers.sort(order)];
}

/** A unit as systemctl lists it: a bare name means `.service`. */
function unitName(unit: string): string {
  return /\.[a-z]+$/.test(unit) ? unit : `${unit}.service`;
}

/** The checks to add for the ticked `keys` of `choices`, on `host`, containers through `socket`. */
export function specsFor(choices: readonly Choice[], keys: ReadonlySet<string>, host: string, socket: string): CheckSpec[] {
  return choices.filter((c) => keys.has(c.key) && !c.watched).map((c) => CheckSpec.parse(c.kind === 'unit'
    ? { type: 'systemd', name: c.name.slice(0, 120), host, unit: c.name }
    : { type: 'container', name: `Container ${c.name}`.slice(0, 120), host, container: c.name, socket }));
}
