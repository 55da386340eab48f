/**
 * Command checks, with Nagios plugin semantics: a command the user typed into the host's settings (and
 * only there: a check names it, it never carries text to run) runs on the host over SSH and is judged by
 * its exit code: 0 OK (up), 1 WARNING (degraded), 2 CRITICAL (down), 3 UNKNOWN (unknown), with the first
 * line of its output as the reason (Nagios Plugin API, "Plugin Return Codes" and "Plugin Output").
 */
import { z } from 'zod';
import { checkCommon, type CheckForm } from './common.ts';

/** The name a host's command is known by in its settings and in checks. */
export const CommandName = z.string().trim().min(1, 'Name the command').max(64, 'Keep the name under 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'A command name has only letters, digits and _ . -');

export const CommandCheck = z.object({
  ...checkCommon,
  type: z.literal('command'),
  /** The name of one of the host's commands (HostSpec.commands). */
  command: CommandName,
});
export type CommandCheck = z.infer<typeof CommandCheck>;

export const COMMAND_FORM: CheckForm = {
  label: 'Command',
  description: 'A command of the host\'s settings, judged like a Nagios plugin (0 OK, 1 warning, 2 critical)',
  fields: [
    { key: 'command', label: 'Command', kind: 'text', placeholder: 'check_disk',
      hint: 'One of the commands in the host\'s settings; only those ever run' },
  ],
};
