/**
 * The samples a check's run stores on its host, each with the check's name as `hostwatch.check`:
 * blackbox_exporter's probe_success and probe_duration_seconds, the runner's own probe_* metrics,
 * and what the alert rules watch: hostwatch.check.down (the state, after the thresholds) and
 * hostwatch.check.tls.time_to_expiry.
 */
import type { Sample } from '../../../shared/api.ts';
import type { Check, CheckResult } from '../../../shared/checks/index.ts';
import { Attr } from '../../../shared/metrics.ts';
import type { CheckOutcome } from './runner.ts';
import type { CheckMemory } from './state.ts';

/** The samples of a run that found `outcome` (not for a run that could not happen: it has none). */
export function checkSamples(check: Check, result: CheckResult, outcome: CheckOutcome, memory: CheckMemory): Sample[] {
  const attributes = { [Attr.check]: check.spec.name };
  const out: Sample[] = [
    { metric: 'probe_success', attributes, value: result.status === 'down' ? 0 : 1 },
    { metric: 'probe_duration_seconds', attributes, value: result.durationSeconds },
    { metric: 'hostwatch.check.down', attributes, value: memory.state === 'down' ? 1 : 0 },
  ];
  for (const m of outcome.metrics) {
    out.push({ metric: m.metric, attributes: { ...m.attributes, ...attributes }, value: m.value });
    if (m.metric === 'probe_ssl_earliest_cert_expiry') {
      out.push({ metric: 'hostwatch.check.tls.time_to_expiry', attributes, value: m.value - result.at / 1000 });
    }
  }
  return out;
}
