/**
 * The tray's one-word summary of the engine: the worst severity among firing alerts. Fed the alerts
 * that are active at start and then every `alert` event; pure, so it is tested without Electron.
 */
import type { Alert } from '../../shared/api.ts';
import type { FromCoreMessage } from './utility-messages.ts';

type Worst = Extract<FromCoreMessage, { type: 'status' }>['worst'];

export class FiringStatus {
  /** Severity of each firing alert, by alert id. */
  readonly #firing = new Map<number, Alert['severity']>();

  /** Records an alert's current state; returns the summary after it. */
  update(alert: Alert): Worst {
    if (alert.state === 'firing') this.#firing.set(alert.id, alert.severity);
    else this.#firing.delete(alert.id);
    return this.worst();
  }

  /** `critical` or `warning` when such an alert fires; `ok` otherwise (info alerts are not trouble). */
  worst(): Worst {
    const severities = new Set(this.#firing.values());
    if (severities.has('critical')) return 'critical';
    if (severities.has('warning')) return 'warning';
    return 'ok';
  }
}
