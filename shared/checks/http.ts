/**
 * HTTP(S) checks: a request, the status codes that count as success, conditions on the response, the
 * response time that makes it degraded, and the TLS certificate's validity and days to expiry. With
 * `readiness`, the body is read as the common health JSON shape
 * (`{"status": …, "checks": {name: {"healthy": bool, "message": …, "latency_ms": …}}}`) and each
 * dependency gets its own state.
 */
import { z } from 'zod';
import { RunFrom, checkCommon, isRegExp, parseStatusRanges, type CheckForm } from './common.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * A JSON path in the subset everyone writes: `$`, then `.name`, `['name']` or `[index]` steps
 * (`$.checks.db.healthy`, `$.items[0].state`).
 */
export const JsonPath = z.string().trim().max(500)
  .regex(/^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\['[^']*'\])*$/, 'Write the path like $.status or $.checks[0].name');

/** A condition the response must meet. */
export const HttpCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('body_contains'), text: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('body_not_contains'), text: z.string().min(1).max(1000) }),
  z.object({
    kind: z.literal('body_matches'),
    pattern: z.string().min(1).max(1000).refine(isRegExp, 'Not a valid regular expression'),
  }),
  z.object({
    kind: z.literal('json'),
    path: JsonPath,
    op: z.enum(['==', '!=', '<', '>', 'contains']),
    value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
  }),
  z.object({
    kind: z.literal('header'),
    name: z.string().trim().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Not a header name'),
    op: z.enum(['==', '!=', 'contains', 'matches', 'present', 'absent']),
    value: z.string().max(1000).default(''),
  }).refine((c) => c.op !== 'matches' || isRegExp(c.value), { message: 'Not a valid regular expression', path: ['value'] }),
]);
export type HttpCondition = z.infer<typeof HttpCondition>;

export const HttpCheck = z.object({
  ...checkCommon,
  type: z.literal('http'),
  // The runner parses it with WHATWG URL; here (no URL in shared/) the shape: scheme, a host, no spaces.
  url: z.string().trim().max(4096).regex(/^https?:\/\/(?:[^\s/?#@]+@)?(?:[A-Za-z0-9._~%-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:[/?#]\S*)?$/i,
    'Enter an http:// or https:// address'),
  method: z.enum(HTTP_METHODS).default('GET'),
  /** Request headers (name → value). */
  headers: z.record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Not a header name'),
    z.string().max(8192).regex(/^[^\r\n]*$/, 'A header value is one line'),
  ).default({}),
  /** Request body (sent as is), at most 64 KiB. */
  body: z.string().max(65_536).nullable().default(null),
  /** Status codes that count as success, as ranges: `200-299,301`. */
  acceptedStatus: z.string().default('200-299')
    .refine((s) => parseStatusRanges(s) !== null, 'Write codes and ranges like 200-299,301'),
  /** Redirects followed at most; 0 judges the 3xx itself (so a check can expect a 301). */
  maxRedirects: z.number().int().min(0).max(10).default(5),
  conditions: z.array(HttpCondition).max(20).default([]),
  /** A response slower than this (seconds) makes the check degraded; null: never. */
  degradedAboveSeconds: z.number().positive().max(300).nullable().default(null),
  /** Days to certificate expiry that make it degraded (warning) or down (critical). */
  tlsWarningDays: z.number().min(0).max(3650).default(14),
  tlsCriticalDays: z.number().min(0).max(3650).default(7),
  /** Accept an untrusted, expired or misnamed certificate (still shown, and expiry still counted). */
  ignoreTlsErrors: z.boolean().default(false),
  /** Read the body as a health endpoint's JSON and show each dependency. */
  readiness: z.boolean().default(false),
  from: RunFrom.default('here'),
});
export type HttpCheck = z.infer<typeof HttpCheck>;

export const HTTP_FORM: CheckForm = {
  label: 'HTTP(S)',
  description: 'A web site or API answers with the right status, content and certificate',
  fields: [
    { key: 'url', label: 'URL', kind: 'text', placeholder: 'https://example.com/health' },
    { key: 'method', label: 'Method', kind: 'select', options: HTTP_METHODS.map((m) => ({ value: m, label: m })), advanced: true },
    { key: 'headers', label: 'Headers', kind: 'headers', advanced: true },
    { key: 'body', label: 'Body', kind: 'textarea', advanced: true },
    { key: 'acceptedStatus', label: 'Accepted status codes', kind: 'text', placeholder: '200-299' },
    { key: 'conditions', label: 'Conditions on the response', kind: 'conditions' },
    { key: 'degradedAboveSeconds', label: 'Degraded when slower than', kind: 'number', unit: 's' },
    { key: 'readiness', label: 'Health endpoint: show each dependency', kind: 'checkbox',
      hint: 'Reads {"status": …, "checks": {name: {"healthy": …}}}' },
    { key: 'maxRedirects', label: 'Follow redirects, at most', kind: 'number', advanced: true },
    { key: 'tlsWarningDays', label: 'Certificate warning, days before expiry', kind: 'number', unit: 'days', advanced: true },
    { key: 'tlsCriticalDays', label: 'Certificate critical, days before expiry', kind: 'number', unit: 'days', advanced: true },
    { key: 'ignoreTlsErrors', label: 'Accept an untrusted or misnamed certificate', kind: 'checkbox', advanced: true },
    { key: 'from', label: 'Run from', kind: 'select', options: [
      { value: 'here', label: 'This machine' }, { value: 'host', label: 'The host, through SSH' },
    ] },
  ],
};
