/**
 * Process checks: how many processes match a name or a command line on the host, with their CPU and
 * memory, read from the process table (`ps -e`, or /proc; proc(5)). The matching is done by Hostwatch
 * on the list, never by a `pgrep -f`-style pattern the checking shell's own command line would match.
 */
import { z } from 'zod';
import { checkCommon, isRegExp, type CheckForm } from './common.ts';

/** What a process is matched by: its name (the kernel's comm, exact) or a regular expression on its command line. */
export const ProcessMatch = z.enum(['name', 'commandLine']);
export type ProcessMatch = z.infer<typeof ProcessMatch>;

export const ProcessCheck = z.object({
  ...checkCommon,
  type: z.literal('process'),
  match: ProcessMatch.default('name'),
  /** The name (exact, as `ps -o comm` shows it: at most 15 characters) or a regular expression. */
  pattern: z.string().min(1, 'Enter the process name or pattern').max(1000),
  /** Fewer matching processes than this makes it down. */
  minCount: z.number().int().min(0).max(100_000).default(1),
  /** More than this makes it down (a fork bomb, a leak of workers); null: no limit. */
  maxCount: z.number().int().min(1).max(100_000).nullable().default(null),
}).refine((c) => c.match !== 'commandLine' || isRegExp(c.pattern), { message: 'Not a valid regular expression', path: ['pattern'] })
  .refine((c) => c.match !== 'name' || c.pattern.length <= 15, { message: 'Process names are at most 15 characters (the kernel cuts them): match the command line instead', path: ['pattern'] })
  .refine((c) => c.maxCount === null || c.maxCount >= c.minCount, { message: 'The most must be at least the fewest', path: ['maxCount'] });
export type ProcessCheck = z.infer<typeof ProcessCheck>;

export const PROCESS_FORM: CheckForm = {
  label: 'Process',
  description: 'Processes run: how many, with their CPU and memory',
  fields: [
    { key: 'match', label: 'Match by', kind: 'select', options: [
      { value: 'name', label: 'Process name' }, { value: 'commandLine', label: 'Command line (regular expression)' },
    ] },
    { key: 'pattern', label: 'Name or pattern', kind: 'text', placeholder: 'postgres' },
    { key: 'minCount', label: 'At least', kind: 'number', unit: 'processes' },
    { key: 'maxCount', label: 'At most', kind: 'number', unit: 'processes', advanced: true },
  ],
};
