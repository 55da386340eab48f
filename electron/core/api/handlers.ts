/**
 * One handler per API method: params arrive already validated against the contract's schema
 * (shared/api.ts), and each handler only asks the engine. Adding a method is adding its schema to the
 * contract and a line here; the type below makes a missing handler a compile error.
 */
import { METRICS } from '../../../shared/metrics.ts';
import type { MethodName, ParsedParams, Result } from '../../../shared/api.ts';
import type { Engine } from '../engine.ts';
import { sshConfigImport } from '../ssh/ssh-config.ts';

type Handlers = {
  [M in MethodName]: (engine: Engine, params: ParsedParams<M>) => Result<M> | Promise<Result<M>>;
};

export const handlers: Handlers = {
  'engine.info': (engine) => engine.info(),
  'hosts.list': (engine) => engine.fleet.statuses(),
  'hosts.get': (engine, { id }) => ({ status: engine.fleet.status(id), ...engine.fleet.settings(id) }),
  'hosts.add': (engine, { spec, secret, acceptKey }) => engine.addHost(spec, secret, acceptKey),
  'hosts.edit': (engine, { id, spec, secret }) => engine.fleet.edit(id, spec, secret),
  'hosts.remove': (engine, { id, deleteHistory }) => ({ removed: engine.removeHost(id, deleteHistory) }),
  'hosts.acceptKey': (engine, { id, fingerprint }) => engine.acceptHostKey(id, fingerprint),
  'hosts.test': (engine, { spec, secret }) => engine.testHost(spec, secret),
  'hosts.update': (engine, { id, ...changes }) => engine.fleet.update(id, changes),
  'hosts.sshConfig': (engine, { path }) => sshConfigImport(path, engine.fleet.statuses().map((s) => ({ name: s.name, spec: engine.fleet.settings(s.id).spec }))),
  'hosts.inventory': (engine, { host }) => engine.fleet.inventory(host),
  'metrics.catalog': () => METRICS.map((m) => ({ ...m, attributes: [...m.attributes] })),
  'metrics.latest': (engine, { host }) => engine.fleet.latest(host),
  'metrics.query': (engine, params) => engine.query(params),
  'processes.top': (engine, { host }) => engine.fleet.processes(host),
  'alerts.active': (engine) => engine.activeAlerts(),
  'alerts.history': (engine, filter) => engine.alerts.history(filter),
  'rules.list': (engine) => engine.rules.list(),
  'rules.create': (engine, spec) => engine.createRule(spec),
  'rules.update': (engine, { id, rule }) => engine.updateRule(id, rule),
  'rules.delete': (engine, { id }) => ({ deleted: engine.deleteRule(id) }),
  'checks.list': (engine) => engine.checks.list(),
  'checks.create': (engine, spec) => engine.checks.add(spec),
  'checks.update': (engine, { id, spec }) => engine.checks.update(id, spec),
  'checks.delete': (engine, { id }) => ({ deleted: engine.checks.remove(id) }),
  'checks.events': (engine, { id, limit }) => engine.checks.events(id, limit),
  'checks.test': (engine, spec) => engine.checks.test(spec),
  'checks.discover': (engine, { host, socket }) => engine.checks.discover(host, socket),
  'silences.list': (engine) => engine.silences.list(),
  'silences.create': (engine, spec) => engine.silences.create(spec),
  'silences.expire': (engine, { id }) => engine.silences.expire(id),
  'maintenance.list': (engine) => engine.maintenance.list(),
  'maintenance.create': (engine, spec) => engine.maintenance.create(spec),
  'maintenance.delete': (engine, { id }) => ({ deleted: engine.maintenance.remove(id) }),
  'storage.status': (engine) => engine.storage(),
  'storage.setRetention': (engine, retention) => engine.setRetention(retention),
  'reports.schedule': (engine) => engine.reportSchedule(),
  'reports.setSchedule': (engine, schedule) => engine.setReportSchedule(schedule),
  'notifications.test': (engine) => {
    engine.testNotification();
    return { sent: true };
  },
};
