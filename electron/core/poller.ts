/**
 * Runs a task on a fixed interval aligned to the wall clock, at a fixed phase within it: this machine at
 * whole seconds, and each remote host at its own offset, spread over the interval by a hash of its id as
 * Prometheus spreads its scrapes, so a hundred hosts are not all asked in the same millisecond. A run
 * still going when the next is due is not doubled: that tick is skipped.
 */
import { createHash } from 'node:crypto';

export interface Poller {
  stop(): void;
}

/** A stable offset in [0, intervalMs) for `id`, ms: the same host always polls at the same phase. */
export function phaseOffset(id: string, intervalMs: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % Math.max(1, Math.floor(intervalMs));
}

/**
 * Calls `task(now)` every `intervalMs` milliseconds at times ≡ `offsetMs` (mod intervalMs), first at the
 * next such time. `now` is the scheduled time (ms since epoch), not the moment the timer happened to
 * fire, so timestamps stay evenly spaced; each is later than the one before, even when a timer fires a
 * little early. Errors from `task` are passed to `onError`; the poller goes on.
 */
export function startPoller(
  intervalMs: number,
  task: (now: number) => Promise<void>,
  onError: (error: unknown) => void,
  offsetMs = 0,
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let lastDue = -Infinity;

  const schedule = () => {
    if (stopped) return;
    const now = Date.now();
    const next = Math.ceil((now + 1 - offsetMs) / intervalMs) * intervalMs + offsetMs;
    // A timer may fire before Date.now() reaches its due time: never schedule the same time twice.
    const due = Math.max(next, lastDue + intervalMs);
    timer = setTimeout(() => tick(due), due - now);
  };

  const tick = (due: number) => {
    lastDue = due;
    schedule();
    if (running) return;
    running = true;
    task(due)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };

  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
