/**
 * Service checks, registered in one place: each type's schema and form (one module per type), the
 * spec union the API and the store validate against, a stored check, and its status as the UI shows it.
 * The runners are the engine's (electron/core/checks/runners/), keyed by the same types.
 */
import { z } from 'zod';
import { COMMAND_FORM, CommandCheck } from './command.ts';
import { CheckResult, CheckState, type CheckForm } from './common.ts';
import { CONTAINER_FORM, ContainerCheck } from './container.ts';
import { DNS_FORM, DnsCheck } from './dns.ts';
import { HTTP_FORM, HttpCheck } from './http.ts';
import { LOG_FORM, LogCheck } from './log.ts';
import { PING_FORM, PingCheck } from './ping.ts';
import { PROCESS_FORM, ProcessCheck } from './process.ts';
import { SYSTEMD_FORM, SystemdCheck } from './systemd.ts';
import { TCP_FORM, TcpCheck } from './tcp.ts';

export * from './common.ts';
export { CommandCheck, ContainerCheck, DnsCheck, HttpCheck, LogCheck, PingCheck, ProcessCheck, SystemdCheck, TcpCheck };
export { CommandName } from './command.ts';
export { DOCKER_SOCKET } from './container.ts';
export { JOURNAL_PRIORITIES, LogSource } from './log.ts';
export { ProcessMatch } from './process.ts';
export { UnitName } from './systemd.ts';
export { HttpCondition, HTTP_METHODS, JsonPath } from './http.ts';
export { DNS_RCODES, DNS_RECORD_TYPES } from './dns.ts';
export { checkTarget } from './target.ts';
export { DiscoveredContainer, DiscoveredUnit, Discovery } from './discovery.ts';

/** What the user writes: one of the types, with its settings (defaults filled in by parsing). */
export const CheckSpec = z.discriminatedUnion('type', [
  HttpCheck, TcpCheck, DnsCheck, PingCheck, SystemdCheck, ProcessCheck, ContainerCheck, CommandCheck, LogCheck,
])
  .refine((c) => c.type !== 'http' || c.tlsCriticalDays <= c.tlsWarningDays,
    { message: 'Critical comes before warning: give it fewer days', path: ['tlsCriticalDays'] });
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckType = CheckSpec['type'];

export const CHECK_TYPES: readonly CheckType[] = ['http', 'tcp', 'dns', 'ping', 'systemd', 'process', 'container', 'command', 'log'];

/** The types that look at what runs on the host itself (by a script over SSH, or a socket there), not at a network address. */
export const HOST_CHECK_TYPES: readonly CheckType[] = ['systemd', 'process', 'container', 'command', 'log'];

/** Each type's own schema (the union's members), for forms and files that read one field at a time. */
export const CHECK_SCHEMAS = {
  http: HttpCheck, tcp: TcpCheck, dns: DnsCheck, ping: PingCheck,
  systemd: SystemdCheck, process: ProcessCheck, container: ContainerCheck, command: CommandCheck, log: LogCheck,
} as const satisfies Record<CheckType, z.ZodObject>;

/** Each type's form (see FieldMeta). */
export const CHECK_FORMS: Record<CheckType, CheckForm> = {
  http: HTTP_FORM, tcp: TCP_FORM, dns: DNS_FORM, ping: PING_FORM,
  systemd: SYSTEMD_FORM, process: PROCESS_FORM, container: CONTAINER_FORM, command: COMMAND_FORM, log: LOG_FORM,
};

/** A stored check: its id, its spec, when it was added. */
export const Check = z.object({ id: z.number().int(), createdAt: z.number(), spec: CheckSpec });
export type Check = z.infer<typeof Check>;

/**
 * A check as it stands: its state (see CheckState) since when, the failures or successes in a row that
 * lead to the next state, and the last run's result (null before the first).
 */
export const CheckStatus = z.object({
  id: z.number().int(),
  spec: CheckSpec,
  state: CheckState,
  since: z.number().nullable(),
  consecutiveFailures: z.number().int(),
  consecutiveSuccesses: z.number().int(),
  last: CheckResult.nullable(),
});
export type CheckStatus = z.infer<typeof CheckStatus>;

