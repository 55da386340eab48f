/**
 * Starting points for the common checks: a web site (HTTPS, 200–299, the certificate watched), an API's
 * health endpoint (each dependency shown), a PostgreSQL port, a DNS record, a ping, a systemd unit, all
 * containers of a host, errors in the journal. A template sets a
 * type and some of its fields; the user fills in the target.
 */
import type { CheckType } from '../../../../shared/checks/index.ts';
import type { CheckForm } from './checkForm.ts';
import { emptyForm, withType } from './checkForm.ts';

export interface CheckTemplate {
  id: string;
  label: string;
  description: string;
  type: CheckType;
  /** Spec values of the type's fields (the rest are the schema's defaults). */
  fields: Record<string, unknown>;
  /** Where the form puts the cursor first. */
  focus: string;
}

export const TEMPLATES: readonly CheckTemplate[] = [
  {
    id: 'web', label: 'Web site', description: 'HTTPS answers 200–299; certificate expiry watched',
    type: 'http', fields: { url: 'https://', acceptedStatus: '200-299', tlsWarningDays: 14, tlsCriticalDays: 7 }, focus: 'url',
  },
  {
    id: 'api', label: 'API health endpoint', description: 'A /health endpoint and each dependency it reports',
    type: 'http', fields: { url: 'https://', acceptedStatus: '200-299', readiness: true }, focus: 'url',
  },
  {
    id: 'postgres', label: 'PostgreSQL port', description: 'Port 5432 accepts connections',
    type: 'tcp', fields: { port: 5432 }, focus: 'target',
  },
  {
    id: 'dns', label: 'DNS record', description: 'A name resolves to what you expect',
    type: 'dns', fields: { recordType: 'A' }, focus: 'query',
  },
  {
    id: 'ping', label: 'Ping', description: 'A host answers: round trip and loss',
    type: 'ping', fields: {}, focus: 'target',
  },
  {
    id: 'systemd', label: 'systemd unit', description: 'A service runs, not failed or restarting',
    type: 'systemd', fields: { unit: '' }, focus: 'unit',
  },
  {
    id: 'containers', label: 'All containers', description: 'Every running container of the host is healthy',
    type: 'container', fields: { container: '*' }, focus: 'container',
  },
  {
    id: 'journal', label: 'Errors in the journal', description: 'More than 10 errors in 5 minutes',
    type: 'log', fields: { source: 'journal', priority: 'err', windowSeconds: 300, criticalCount: 10 }, focus: 'pattern',
  },
];

/** The form for `template`, keeping what the user already chose in `from` (host, name, schedule). */
export function applyTemplate(template: CheckTemplate, from: CheckForm = emptyForm()): CheckForm {
  return withType(from, template.type, template.fields);
}
