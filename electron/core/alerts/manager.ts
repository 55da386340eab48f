/**
 * Runs the alert rules on every snapshot: keeps each rule's active alerts per host between snapshots,
 * evaluates (evaluator.ts), stores every transition through the AlertRepository and publishes it as an
 * `alert` event, with a `notification` for the user when an alert fires or resolves.
 */
import type { Alert, Notification, ProcessList, Snapshot } from '../../../shared/api.ts';
import { seriesKey } from '../../../shared/metrics.ts';
import { alertLabels } from '../../../shared/silences.ts';
import type { Rule } from '../../../shared/rules.ts';
import type { EventBus } from '../events.ts';
import type { AlertRepository } from '../store/alerts.ts';
import { closeAll, evaluate, type ActiveAlert, type Transition } from './evaluator.ts';

const NONE: ReadonlyMap<string, ActiveAlert> = new Map();

/** What the manager asks of the rest of the engine; each has a neutral default. */
export interface AlertManagerOptions {
  /** A host's name as the user knows it, for notifications; default the id. */
  hostName?: (id: string) => string;
  /** A host's busiest processes now, kept with an alert that fires; default none. */
  processes?: (host: string) => ProcessList | null;
  /** Whether an active silence matches these alert labels (shared/silences.ts); default never. */
  silenced?: (labels: Record<string, string>) => boolean;
}

export class AlertManager {
  readonly #repository: AlertRepository;
  readonly #bus: EventBus;
  /** A host's name as the user knows it, for notifications. */
  readonly #hostName: (id: string) => string;
  /** A host's busiest processes now, or null when not known. */
  readonly #processes: (host: string) => ProcessList | null;
  readonly #silenced: (labels: Record<string, string>) => boolean;
  /** rule id → host → that rule's active alerts on that host, by series key. */
  readonly #active = new Map<number, Map<string, Map<string, ActiveAlert>>>();

  /**
   * Picks up the alerts a previous run left open in the store: firing ones go on firing (no second
   * notification); pending ones are deleted, since their `for` was not watched while the engine was
   * stopped, and they start again if the condition still holds.
   */
  constructor(repository: AlertRepository, bus: EventBus, options: AlertManagerOptions = {}) {
    this.#repository = repository;
    this.#bus = bus;
    this.#hostName = options.hostName ?? ((id) => id);
    this.#processes = options.processes ?? (() => null);
    this.#silenced = options.silenced ?? (() => false);
    for (const alert of repository.active()) {
      if (alert.state === 'pending') {
        repository.delete(alert.id);
        continue;
      }
      let byHost = this.#active.get(alert.ruleId);
      if (!byHost) this.#active.set(alert.ruleId, (byHost = new Map()));
      let alerts = byHost.get(alert.host);
      if (!alerts) byHost.set(alert.host, (alerts = new Map()));
      alerts.set(seriesKey(alert.metric, alert.attributes), { ...alert, state: 'firing' });
    }
  }

  /**
   * Evaluates every rule in `scope` on `snapshot` (at snapshot.time) and stores and publishes what
   * changed. `rules` is the complete current list: alerts of a rule no longer in it, or disabled, are
   * closed (pending dropped, firing resolved) on this host. `scope` picks the rules this snapshot speaks
   * for (a host's poll, or its checks' results): the others are left as they are. A failed poll (`up` =
   * 0) evaluates only the rules on `up` and the host key: the host's other alerts neither fire nor
   * resolve on data that is missing. A storage error is logged, not thrown: it must not stop
   * collection, and the event still goes out.
   */
  evaluate(snapshot: Snapshot, rules: readonly Rule[], scope: (metric: string) => boolean = () => true): void {
    const { host, time } = snapshot;
    const unknown = unreachable(snapshot);
    for (const rule of rules) {
      if (!scope(rule.metric)) continue;
      // Nothing is known of the host's metrics: their alerts neither fire nor resolve until it answers.
      if (unknown && !REACHABILITY_METRICS.has(rule.metric)) continue;
      const byHost = this.#active.get(rule.id);
      const previous = byHost?.get(host) ?? NONE;
      if (!rule.enabled && previous.size === 0) continue;
      const { active, transitions } = evaluate(rule, host, snapshot.samples, previous, time);
      this.#keep(rule.id, host, active);
      this.#publish(transitions);
    }
    for (const [ruleId, byHost] of this.#active) {
      const previous = byHost.get(host);
      if (!previous || rules.some((rule) => rule.id === ruleId)) continue;
      // A removed rule's alerts: closed by a snapshot of the kind that raised them.
      const first = previous.values().next().value;
      if (first && !scope(first.metric)) continue;
      this.#forget(ruleId, host);
      this.#publish(closeAll(previous, time));
    }
  }

  /**
   * Pending and firing alerts, newest first (by activeAt), with the value and summary of the latest
   * evaluation; the store has them as of their last transition.
   */
  active(): Alert[] {
    const list: Alert[] = [];
    for (const byHost of this.#active.values()) {
      for (const alerts of byHost.values()) {
        for (const alert of alerts.values()) list.push({ ...alert, id: alert.id ?? 0 });
      }
    }
    return list.sort((a, b) => b.activeAt - a.activeAt || b.id - a.id);
  }

  /** Closes every active alert of `host` at `now` (pending dropped, firing resolved): the host was removed. */
  closeHost(host: string, now: number): void {
    for (const [ruleId, byHost] of this.#active) {
      const previous = byHost.get(host);
      if (!previous) continue;
      this.#forget(ruleId, host);
      this.#publish(closeAll(previous, now));
    }
  }

  #keep(ruleId: number, host: string, active: Map<string, ActiveAlert>): void {
    if (active.size === 0) return this.#forget(ruleId, host);
    let byHost = this.#active.get(ruleId);
    if (!byHost) this.#active.set(ruleId, (byHost = new Map()));
    byHost.set(host, active);
  }

  #forget(ruleId: number, host: string): void {
    const byHost = this.#active.get(ruleId);
    if (byHost?.delete(host) && byHost.size === 0) this.#active.delete(ruleId);
  }

  #publish(transitions: readonly Transition[]): void {
    for (const { kind, alert } of transitions) {
      if (kind === 'firing' && alert.processes === undefined) {
        const top = this.#processes(alert.host);
        // On the object in the active map, so it stays with the alert until it resolves.
        if (top) alert.processes = keptProcesses(top);
      }
      let id = alert.id;
      try {
        if (kind === 'dropped') {
          if (id !== null) this.#repository.delete(id);
        } else if (id === null) {
          // The object is the one in the active map: later evaluations carry the id (see evaluate).
          id = alert.id = this.#repository.insert(alert).id;
        } else {
          this.#repository.update({ ...alert, id });
        }
      } catch (error) {
        console.error(`hostwatch: storing alert "${alert.ruleName}" on ${alert.host} failed:`, error);
      }
      // id 0: an alert the store could not take still reaches the user.
      const stored: Alert = { ...alert, id: id ?? 0 };
      this.#bus.emit('alert', { alert: stored, transition: kind });
      if (kind !== 'firing' && kind !== 'resolved') continue;
      const hostName = this.#hostName(stored.host);
      // A silenced alert is kept and shown; it only tells nobody.
      if (!this.#silenced(alertLabels(stored, hostName))) this.#bus.emit('notification', notificationOf(stored, kind, hostName));
    }
  }
}

/** What a failed poll still says (fleet.ts health): the rules on these go on while a host is unreachable. */
const REACHABILITY_METRICS = new Set(['up', 'hostwatch.ssh.host_key_changed']);

/** Whether `snapshot` is a failed poll: `up` = 0, so the host's other metrics are unknown, not gone. */
function unreachable(snapshot: Snapshot): boolean {
  return snapshot.samples.some((s) => s.metric === 'up' && s.value === 0);
}

/** Processes kept with an alert at most, and characters of each command line. */
const KEPT_PROCESSES = 20;
const KEPT_COMMAND_CHARS = 300;

/** `list` cut to what an alert keeps. */
function keptProcesses(list: ProcessList): ProcessList {
  return {
    host: list.host, time: list.time,
    processes: list.processes.slice(0, KEPT_PROCESSES).map((p) => ({ ...p, command: p.command.slice(0, KEPT_COMMAND_CHARS) })),
  };
}

const SEVERITY_TITLE = { info: 'Info', warning: 'Warning', critical: 'Critical' } as const;

/** What the user is told when `alert` fires ("Critical: Filesystem almost full") or resolves. */
export function notificationOf(alert: Alert, kind: 'firing' | 'resolved', hostName: string): Notification {
  return {
    title: kind === 'firing' ? `${SEVERITY_TITLE[alert.severity]}: ${alert.ruleName}` : `Resolved: ${alert.ruleName}`,
    body: alert.summary,
    severity: kind === 'firing' ? alert.severity : 'info',
    host: alert.host,
    hostName,
    alertId: alert.id,
  };
}
