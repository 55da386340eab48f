/**
 * systemd unit checks: one unit's state from `systemctl show UNIT -p Id,LoadState,ActiveState,SubState,
 * Result,NRestarts,ExecMainStatus,MainPID` (systemctl(1), org.freedesktop.systemd1(5)), on this machine or
 * on the host over SSH. One unit per call: `systemctl is-active` with several units exits 0 when any is
 * active.
 */
import { z } from 'zod';
import { checkCommon, type CheckForm } from './common.ts';

/** A unit name as systemd accepts it (systemd.unit(5)): no spaces, no shell syntax; a bare name means `.service`. */
export const UnitName = z.string().trim().min(1, 'Enter the unit, like nginx.service')
  .max(256, 'That unit name is too long')
  .regex(/^[A-Za-z0-9:_.\\@-]+$/, 'A unit name has only letters, digits and : _ . \\ @ -');

export const SystemdCheck = z.object({
  ...checkCommon,
  type: z.literal('systemd'),
  unit: UnitName,
  /**
   * Whether `inactive` (stopped cleanly, Result=success) is fine: a oneshot unit run by a timer. Failed,
   * not found and restarting are never fine.
   */
  inactiveIsUp: z.boolean().default(false),
});
export type SystemdCheck = z.infer<typeof SystemdCheck>;

export const SYSTEMD_FORM: CheckForm = {
  label: 'systemd unit',
  description: 'A service runs: not failed, not missing, not restarting in a loop',
  fields: [
    { key: 'unit', label: 'Unit', kind: 'text', placeholder: 'nginx.service', hint: 'A bare name means .service' },
    { key: 'inactiveIsUp', label: 'Stopped cleanly is fine (a oneshot run by a timer)', kind: 'checkbox', advanced: true },
  ],
};
