/** TCP checks: a port accepts a connection (time to connect), and optionally answers a line as expected. */
import { z } from 'zod';
import { Port, RunFrom, TargetHost, checkCommon, isRegExp, type CheckForm } from './common.ts';

export const TcpCheck = z.object({
  ...checkCommon,
  type: z.literal('tcp'),
  target: TargetHost,
  port: Port,
  /** A line sent once connected (a newline is added), or null. */
  send: z.string().max(1000).regex(/^[^\r\n]*$/, 'One line').nullable().default(null),
  /** A regular expression the reply must match, or null (connecting is enough). */
  expect: z.string().max(1000).refine(isRegExp, 'Not a valid regular expression').nullable().default(null),
  degradedAboveSeconds: z.number().positive().max(300).nullable().default(null),
  from: RunFrom.default('here'),
});
export type TcpCheck = z.infer<typeof TcpCheck>;

export const TCP_FORM: CheckForm = {
  label: 'TCP port',
  description: 'A port accepts connections (a database, a mail server, SSH)',
  fields: [
    { key: 'target', label: 'Host', kind: 'text', placeholder: 'db.example.com' },
    { key: 'port', label: 'Port', kind: 'number', placeholder: '5432' },
    { key: 'send', label: 'Send a line', kind: 'text', advanced: true },
    { key: 'expect', label: 'Expect a reply matching', kind: 'text', advanced: true, hint: 'A regular expression' },
    { key: 'degradedAboveSeconds', label: 'Degraded when connecting takes longer than', kind: 'number', unit: 's', advanced: true },
    { key: 'from', label: 'Run from', kind: 'select', options: [
      { value: 'here', label: 'This machine' }, { value: 'host', label: 'The host, through SSH' },
    ] },
  ],
};
