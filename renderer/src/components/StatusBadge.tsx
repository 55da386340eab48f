/** A state shown as colour, icon and word together (never colour alone). */
import type { StatusLook } from '../lib/status.ts';

export function StatusBadge({ look, title, testId }: { look: StatusLook; title?: string | undefined; testId?: string }) {
  return (
    <span className={`badge tone-${look.tone}`} title={title} data-testid={testId}>
      <span className="badge-icon" aria-hidden="true">{look.icon}</span>
      {look.word}
    </span>
  );
}
