/**
 * Runs a task on a fixed interval aligned to the wall clock (a 1 s poll fires at whole seconds, so
 * the samples of several hosts line up on one time axis). A run still going when the next is due is
 * not doubled: that tick is skipped.
 */

export interface Poller {
  stop(): void;
}

/**
 * Calls `task(now)` every `intervalMs` milliseconds, first at the next multiple of the interval.
 * `now` is the scheduled time (ms since epoch), not the moment the timer happened to fire, so
 * timestamps stay evenly spaced. Errors from `task` are passed to `onError`; the poller goes on.
 */
export function startPoller(
  intervalMs: number,
  task: (now: number) => Promise<void>,
  onError: (error: unknown) => void,
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    const now = Date.now();
    const due = Math.ceil((now + 1) / intervalMs) * intervalMs;
    timer = setTimeout(() => tick(due), due - now);
  };

  const tick = (due: number) => {
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
