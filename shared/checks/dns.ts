/** DNS checks: a name resolves (A, AAAA, CNAME, MX, TXT) through the system or a given server, as expected. */
import { z } from 'zod';
import { RunFrom, TargetHost, checkCommon, type CheckForm } from './common.ts';

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;
/** Response codes (RFC 1035 §4.1.1, RFC 6895) a check may expect. */
export const DNS_RCODES = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'] as const;

export const DnsCheck = z.object({
  ...checkCommon,
  type: z.literal('dns'),
  /** The name to resolve. */
  query: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9_.-]+\.?$/, 'Enter a DNS name like www.example.com'),
  recordType: z.enum(DNS_RECORD_TYPES).default('A'),
  /**
   * `address` or `address:port` of the server to ask (from the host, a name here is resolved there); null:
   * the system's resolver, or from the host the first nameserver of its /etc/resolv.conf.
   */
  server: TargetHost.nullable().default(null),
  /** Answers that must all be among those returned (an address, a name, `10 mx.example.com`, a TXT string). */
  expect: z.array(z.string().trim().min(1).max(1000)).max(20).default([]),
  /** The response code expected; NXDOMAIN checks that a name does not exist. */
  expectRcode: z.enum(DNS_RCODES).default('NOERROR'),
  degradedAboveSeconds: z.number().positive().max(300).nullable().default(null),
  /** From the host, the query goes over TCP through its SSH connection, to `server` or the host's own resolver. */
  from: RunFrom.default('here'),
});
export type DnsCheck = z.infer<typeof DnsCheck>;

export const DNS_FORM: CheckForm = {
  label: 'DNS',
  description: 'A name resolves to what it should',
  fields: [
    { key: 'query', label: 'Name', kind: 'text', placeholder: 'www.example.com' },
    { key: 'recordType', label: 'Record type', kind: 'select', options: DNS_RECORD_TYPES.map((t) => ({ value: t, label: t })) },
    { key: 'server', label: 'Server', kind: 'text', placeholder: 'The system resolver', hint: 'address or address:port' },
    { key: 'expect', label: 'Expected answers', kind: 'list' },
    { key: 'expectRcode', label: 'Expected response code', kind: 'select', advanced: true,
      options: DNS_RCODES.map((t) => ({ value: t, label: t })) },
    { key: 'degradedAboveSeconds', label: 'Degraded when slower than', kind: 'number', unit: 's', advanced: true },
    { key: 'from', label: 'Run from', kind: 'select', hint: 'From the host: over TCP, to the server or the host\'s own resolver', options: [
      { value: 'here', label: 'This machine' }, { value: 'host', label: 'The host, through SSH' },
    ] },
  ],
};
