/**
 * Log pattern checks: how many new lines match a pattern over a window, in a file on the host (read from
 * where the last run stopped) or in the systemd journal (`journalctl -p PRIORITY --since`; journalctl(1)),
 * so "more than 10 errors in 5 minutes" can alert.
 */
import { z } from 'zod';
import { checkCommon, isRegExp, type CheckForm } from './common.ts';

export const LogSource = z.enum(['file', 'journal']);
export type LogSource = z.infer<typeof LogSource>;

/** syslog priorities as journalctl names them, most severe first (journalctl -p). */
export const JOURNAL_PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export const LogCheck = z.object({
  ...checkCommon,
  type: z.literal('log'),
  source: LogSource.default('file'),
  /** The file, for `file`: an absolute path. */
  path: z.string().trim().max(4096).regex(/^(\/[^\u0000-\u001f]*)?$/, 'An absolute path, like /var/log/nginx/error.log').default(''),
  /** For `journal`: this priority and more severe ones. */
  priority: z.enum(JOURNAL_PRIORITIES).default('err'),
  /** For `journal`: only this unit's messages; empty: all. */
  unit: z.string().trim().max(256).regex(/^[A-Za-z0-9:_.\\@-]*$/, 'A unit name has only letters, digits and : _ . \\ @ -').default(''),
  /** A regular expression the lines must match; empty: every new line counts. */
  pattern: z.string().max(1000).default(''),
  /** Seconds over which matching lines are counted. */
  windowSeconds: z.number().min(1).max(86_400).default(300),
  /** More matching lines than this in the window makes it degraded; null: never. */
  warningCount: z.number().int().min(0).nullable().default(null),
  /** More than this makes it down. */
  criticalCount: z.number().int().min(0).default(10),
}).refine((c) => c.source !== 'file' || c.path !== '', { message: 'Enter the log file\'s path', path: ['path'] })
  .refine((c) => isRegExp(c.pattern), { message: 'Not a valid regular expression', path: ['pattern'] })
  .refine((c) => c.warningCount === null || c.warningCount <= c.criticalCount, { message: 'Warning comes before critical: give it fewer lines', path: ['warningCount'] });
export type LogCheck = z.infer<typeof LogCheck>;

export const LOG_FORM: CheckForm = {
  label: 'Log pattern',
  description: 'Counts new lines matching a pattern in a log file or the journal',
  fields: [
    { key: 'source', label: 'Read', kind: 'select', options: [
      { value: 'file', label: 'A log file' }, { value: 'journal', label: 'The systemd journal' },
    ] },
    { key: 'path', label: 'File', kind: 'text', placeholder: '/var/log/nginx/error.log', showWhen: { key: 'source', value: 'file' } },
    { key: 'priority', label: 'Priority and above', kind: 'select', showWhen: { key: 'source', value: 'journal' },
      options: JOURNAL_PRIORITIES.map((p) => ({ value: p, label: p })) },
    { key: 'unit', label: 'Unit', kind: 'text', placeholder: 'all units', showWhen: { key: 'source', value: 'journal' } },
    { key: 'pattern', label: 'Lines matching', kind: 'text', placeholder: 'every line', hint: 'A regular expression' },
    { key: 'windowSeconds', label: 'Over the last', kind: 'number', unit: 's' },
    { key: 'warningCount', label: 'Degraded above', kind: 'number', unit: 'lines', advanced: true },
    { key: 'criticalCount', label: 'Down above', kind: 'number', unit: 'lines' },
  ],
};
