/**
 * The runner of each check type, registered in one place: a type added to shared/checks without a
 * runner here fails the build.
 */
import tls from 'node:tls';
import type { CheckSpec, CheckType } from '../../../shared/checks/index.ts';
import type { CheckContext, CheckOutcome, Runner } from './runner.ts';
import { commandRunner } from './runners/command.ts';
import { containerRunner } from './runners/container.ts';
import { dnsRunner } from './runners/dns.ts';
import { logRunner } from './runners/log.ts';
import { httpRunner } from './runners/http.ts';
import { pingRunner } from './runners/ping.ts';
import { processRunner } from './runners/process.ts';
import { systemdRunner } from './runners/systemd.ts';
import { tcpRunner } from './runners/tcp.ts';

export type RunnerRegistry = { readonly [T in CheckType]: Runner<Extract<CheckSpec, { type: T }>> };

/**
 * The runners as the engine uses them: HTTPS trusts Node's bundled roots and the operating system's
 * store (a company CA installed there), DNS asks the system's resolver, ping is the system's; the
 * host-side types run scripts or open sockets on the check's host.
 */
export function defaultRunners(): RunnerRegistry {
  return {
    http: httpRunner({ ca: systemCas() }), tcp: tcpRunner, dns: dnsRunner(), ping: pingRunner(),
    systemd: systemdRunner, process: processRunner, container: containerRunner, command: commandRunner, log: logRunner,
  };
}

/** The OS's trusted CA certificates (PEM), or none where Node cannot read them. */
function systemCas(): string[] {
  try {
    return tls.getCACertificates('system');
  } catch (error) {
    console.error('hostwatch: the system\'s trusted certificates could not be read; HTTPS checks trust Node\'s own:', error);
    return [];
  }
}

/** Runs `spec` with its type's runner. */
export function runCheck(registry: RunnerRegistry, spec: CheckSpec, context: CheckContext): Promise<CheckOutcome> {
  return (registry[spec.type] as Runner<CheckSpec>)(spec, context);
}
