/**
 * What every service check shares, whatever its type: when and how often it runs, the thresholds that
 * turn single results into a state (Kubernetes/Gatus style), the states themselves, and the shapes of
 * a run's outcome and a state change as the API carries them. Times in seconds unless named `…Ms`/`at`.
 */
import { z } from 'zod';

/** A host name or address a check connects to (no scheme, no spaces, no shell or URL syntax). */
export const TargetHost = z.string().trim().min(1, 'Enter the host name or address')
  .max(253, 'That host name is too long')
  .regex(/^[A-Za-z0-9._:%\[\]-]+$/, 'A host name has only letters, digits, dots, dashes and colons');

export const Port = z.number().int().min(1, 'Ports go from 1 to 65535').max(65535, 'Ports go from 1 to 65535');

/**
 * Where a network check (HTTP, TCP, DNS) runs from: `here` (this machine) or `host` (the check's host, through
 * its SSH connection, so `localhost:8080` on the server is reachable without opening a port).
 */
export const RunFrom = z.enum(['here', 'host']);
export type RunFrom = z.infer<typeof RunFrom>;

/**
 * The settings every check has. `host`: the id of the host the check belongs to (shown under it, and
 * the one it runs on or through); `local` is this machine.
 */
export const checkCommon = {
  name: z.string().trim().min(1, 'Give the check a name').max(120, 'Keep the name under 120 characters')
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'A name has no control characters'),
  host: z.string().min(1).max(200).default('local'),
  /** Seconds between runs. */
  intervalSeconds: z.number().min(1, 'Checks run at most once a second').max(86_400, 'Run it at least once a day').default(60),
  /**
   * Seconds a run may take before it counts as failed. It may exceed the interval: runs of one check
   * never overlap, so a run that takes longer skips the slots it overlaps.
   */
  timeoutSeconds: z.number().min(0.1, 'Give it at least 0.1 s').max(300, 'At most 300 s').default(10),
  /** Failed runs in a row before the check is down (pending until then). */
  failureThreshold: z.number().int().min(1).max(100).default(3),
  /** Good runs in a row before a down check is up again. */
  successThreshold: z.number().int().min(1).max(100).default(1),
  /** Seconds between runs while failing (pending or down); null: the interval. */
  retryIntervalSeconds: z.number().min(1).max(86_400).nullable().default(null),
  /** Seconds to wait after the engine starts (or the check is added) before the first run. */
  initialDelaySeconds: z.number().min(0).max(3600).default(0),
  enabled: z.boolean().default(true),
  /** Under maintenance: runs, stores its metrics, but its state is `maintenance` and it alerts nobody. */
  maintenance: z.boolean().default(false),
};

/**
 * A check's state:
 * - `up`: the last runs met the success threshold; `degraded`: it works, but slowly or with a warning
 *   (a certificate expiring soon, a dependency degraded);
 * - `pending`: failing, but fewer times in a row than the failure threshold; `down`: failed that often;
 * - `unknown`: it could not run (its host is unreachable, or it has not run yet): never "down" invented;
 * - `maintenance`: set by the user; results are kept and nobody is alerted.
 */
export const CheckState = z.enum(['up', 'degraded', 'pending', 'down', 'unknown', 'maintenance']);
export type CheckState = z.infer<typeof CheckState>;

/** What a single run found: `up`, `degraded` (worked, with a warning) or `down`. */
export const RunStatus = z.enum(['up', 'degraded', 'down']);
export type RunStatus = z.infer<typeof RunStatus>;

/** One dependency of a readiness endpoint, as it reported itself. */
export const CheckDependency = z.object({
  name: z.string(),
  status: RunStatus,
  message: z.string().nullable(),
  latencySeconds: z.number().nullable(),
});
export type CheckDependency = z.infer<typeof CheckDependency>;

/** The TLS certificate a check was shown (the leaf), with the earliest expiry of its chain. */
export const CheckCertificate = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** Names it is valid for (subjectAltName DNS and IP entries). */
  names: z.array(z.string()),
  validFrom: z.number(),
  validTo: z.number(),
  /** Earliest `validTo` of the chain sent, ms since epoch. */
  earliestExpiry: z.number(),
  /** Whether the chain verified against the trusted CAs for the host name (null: not checked). */
  trusted: z.boolean().nullable(),
  /** Why it did not verify (e.g. CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID), or null. */
  error: z.string().nullable(),
});
export type CheckCertificate = z.infer<typeof CheckCertificate>;

/**
 * What one run found. `reason`: in a person's words, why it is not up ("status 503 is not in 200-299",
 * "body does not contain \"ok\""), empty when up. `excerpt`: a bounded piece (≤ 1 KiB) of what came
 * back. `details`: what the type shows beyond that (the HTTP status, TLS certificate, the readiness
 * dependencies, DNS answers, ping figures).
 */
export const CheckResult = z.object({
  at: z.number(),
  status: RunStatus,
  reason: z.string(),
  durationSeconds: z.number(),
  excerpt: z.string().nullable(),
  details: z.object({
    statusCode: z.number().int().optional(),
    certificate: CheckCertificate.optional(),
    dependencies: z.array(CheckDependency).optional(),
    answers: z.array(z.string()).optional(),
    rcode: z.string().optional(),
    /** Ping: round trips answered and sent, and the average round trip in seconds. */
    received: z.number().int().optional(),
    sent: z.number().int().optional(),
    rttSeconds: z.number().optional(),
    /**
     * What a host-side check found, as name/value pairs in the order to show them (a unit's ActiveState
     * and NRestarts, a container's health, a command's exit code).
     */
    facts: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  }).default({}),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A state change of a check, kept in its history with the result that caused it. */
export const CheckEvent = z.object({
  id: z.number().int(),
  checkId: z.number().int(),
  at: z.number(),
  from: CheckState,
  to: CheckState,
  reason: z.string(),
  excerpt: z.string().nullable(),
});
export type CheckEvent = z.infer<typeof CheckEvent>;

/**
 * How a form shows one field of a check type (the UI builds the add/edit form from it). `key` is the
 * field's name in the spec; `kind` picks the input.
 */
export interface FieldMeta {
  readonly key: string;
  readonly label: string;
  readonly kind: 'text' | 'number' | 'select' | 'checkbox' | 'textarea' | 'headers' | 'conditions' | 'list';
  readonly hint?: string;
  readonly placeholder?: string;
  readonly unit?: string;
  readonly options?: readonly { value: string; label: string }[];
  /** Shown only under "More settings". */
  readonly advanced?: boolean;
  /** Shown only while another field (`key`) has this value: a log file's path only for `source` = file. */
  readonly showWhen?: { readonly key: string; readonly value: string };
}

/** A check type's form: its name and what it is for, its fields, and templates for common cases. */
export interface CheckForm {
  readonly label: string;
  readonly description: string;
  readonly fields: readonly FieldMeta[];
}

/** Whether `pattern` is a valid JavaScript regular expression with the `u` flag (as checks compile them). */
export function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Parses accepted status codes like `200-299,301,304` into ranges; null when malformed. */
export function parseStatusRanges(text: string): [number, number][] | null {
  const ranges: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 100 || hi > 599 || lo > hi) return null;
    ranges.push([lo, hi]);
  }
  return ranges.length > 0 ? ranges : null;
}
