/** `hostwatch alerts list`: alert history, newest first, with filters. */
import { AlertState } from '../../../shared/api.ts';
import { Severity } from '../../../shared/rules.ts';
import { formatDuration } from '../../../shared/format.ts';
import type { CliOptions } from '../cli.ts';
import { formatMetric, formatTime, printJson, table } from './output.ts';
import { openCliStore } from './store.ts';
import { UsageError } from './usage.ts';

export function runAlerts(args: readonly string[], options: CliOptions): number {
  const [sub = 'list', ...extra] = args;
  if (sub !== 'list' || extra.length > 0) throw new UsageError(`alerts takes 'list', not '${args.join(' ')}'`);
  const state = options.state === undefined ? undefined : AlertState.safeParse(options.state);
  if (state && !state.success) throw new UsageError(`--state is pending, firing or resolved, not '${options.state}'`);
  const severity = options.severity === undefined ? undefined : Severity.safeParse(options.severity);
  if (severity && !severity.success) {
    throw new UsageError(`--severity is info, warning or critical, not '${options.severity}'`);
  }
  const store = openCliStore(options.dataDir, false);
  try {
    const alerts = store.alerts.history({ state: state?.data, severity: severity?.data, limit: options.limit });
    if (options.json) {
      printJson(alerts);
      return 0;
    }
    if (alerts.length === 0) {
      console.log('No alerts.');
      return 0;
    }
    const now = Date.now();
    console.log(table(['STATE', 'SEVERITY', 'HOST', 'RULE', 'VALUE', 'STARTED', 'DURATION'], alerts.map((a) => [
      a.state, a.severity, a.host, a.ruleName, formatMetric(a.metric, a.value), formatTime(a.activeAt),
      formatDuration(((a.resolvedAt ?? now) - a.activeAt) / 1000),
    ])));
    return 0;
  } finally {
    store.close();
  }
}
