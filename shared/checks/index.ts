/**
 * Service checks, registered in one place: each type's schema and form (one module per type), the
 * spec union the API and the store validate against, a stored check, and its status as the UI shows it.
 * The runners are the engine's (electron/core/checks/runners/), keyed by the same types.
 */
import { z } from 'zod';
import { CheckResult, CheckState, type CheckForm } from './common.ts';
import { DNS_FORM, DnsCheck } from './dns.ts';
import { HTTP_FORM, HttpCheck } from './http.ts';
import { PING_FORM, PingCheck } from './ping.ts';
import { TCP_FORM, TcpCheck } from './tcp.ts';

export * from './common.ts';
export { DnsCheck, HttpCheck, PingCheck, TcpCheck };
export { HttpCondition, HTTP_METHODS, JsonPath } from './http.ts';
export { DNS_RCODES, DNS_RECORD_TYPES } from './dns.ts';

/** What the user writes: one of the types, with its settings (defaults filled in by parsing). */
export const CheckSpec = z.discriminatedUnion('type', [HttpCheck, TcpCheck, DnsCheck, PingCheck])
  .refine((c) => c.type !== 'http' || c.tlsCriticalDays <= c.tlsWarningDays,
    { message: 'Critical comes before warning: give it fewer days', path: ['tlsCriticalDays'] });
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckType = CheckSpec['type'];

export const CHECK_TYPES: readonly CheckType[] = ['http', 'tcp', 'dns', 'ping'];

/** Each type's form (see FieldMeta). */
export const CHECK_FORMS: Record<CheckType, CheckForm> = { http: HTTP_FORM, tcp: TCP_FORM, dns: DNS_FORM, ping: PING_FORM };

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

