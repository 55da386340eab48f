/** Ping checks: round-trip time and loss, through the system `ping`. */
import { z } from 'zod';
import { TargetHost, checkCommon, type CheckForm } from './common.ts';

export const PingCheck = z.object({
  ...checkCommon,
  type: z.literal('ping'),
  target: TargetHost,
  /** Echo requests per run. */
  count: z.number().int().min(1).max(20).default(3),
  /** Loss (ratio 0–1) at or above which the run is down; any loss below it makes it degraded. */
  downLossRatio: z.number().min(0).max(1).default(1),
  /** An average round trip slower than this (seconds) makes it degraded; null: never. */
  degradedAboveSeconds: z.number().positive().max(60).nullable().default(null),
});
export type PingCheck = z.infer<typeof PingCheck>;

export const PING_FORM: CheckForm = {
  label: 'Ping',
  description: 'A host answers ICMP echo: round-trip time and loss',
  fields: [
    { key: 'target', label: 'Host', kind: 'text', placeholder: 'router.lan' },
    { key: 'count', label: 'Echo requests per run', kind: 'number', advanced: true },
    { key: 'downLossRatio', label: 'Down at this loss', kind: 'number', unit: '0–1', advanced: true },
    { key: 'degradedAboveSeconds', label: 'Degraded when the round trip exceeds', kind: 'number', unit: 's', advanced: true },
  ],
};
