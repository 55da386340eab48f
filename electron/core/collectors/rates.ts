/**
 * Counter → rate conversion. Kernel counters (bytes, operations, CPU ticks) only grow until they are
 * reset (a device recreated, a driver reloaded) or wrap (32-bit counters); a counter that went
 * backwards gives no rate for that interval: absent, never negative and never a made-up zero.
 */
import type { CpuTimes } from './linux/stat.ts';

/**
 * Per-second rate of a counter between two readings `elapsedSeconds` apart, or undefined when there is
 * no meaningful rate: the counter went backwards (reset or wrap), or no time passed.
 */
export function counterRate(previous: number, current: number, elapsedSeconds: number): number | undefined {
  if (current < previous || !(elapsedSeconds > 0)) return undefined;
  const rate = (current - previous) / elapsedSeconds;
  return Number.isFinite(rate) ? rate : undefined;
}

/**
 * Baselines of many named counters, each turned into a rate per second on its next reading. One
 * instance per consumer: two pollers at different intervals must not share baselines. A counter not
 * read in a round is forgotten (an interface that vanished does not leak), so a name that comes back
 * starts without a rate.
 */
export class CounterRates {
  #previous = new Map<string, number>();
  #current = new Map<string, number>();
  #previousTime = Number.NaN;
  #time = Number.NaN;

  /** Starts a round of readings taken at `now` (ms since epoch). */
  begin(now: number): void {
    this.#time = now;
  }

  /**
   * Records `value` for `key` in this round and returns its rate per second since the previous round,
   * or undefined: first reading, reset or wrap, or no time elapsed.
   */
  rate(key: string, value: number): number | undefined {
    this.#current.set(key, value);
    const before = this.#previous.get(key);
    if (before === undefined) return undefined;
    return counterRate(before, value, (this.#time - this.#previousTime) / 1000);
  }

  /** Ends the round: its readings become the baselines of the next one. */
  end(): void {
    const old = this.#previous;
    this.#previous = this.#current;
    this.#current = old;
    this.#current.clear();
    this.#previousTime = this.#time;
  }
}

/**
 * Busy share of CPU time between two readings, a ratio 0–1, or undefined when no tick elapsed or a
 * counter went backwards (CPU hotplug resets a core's counters; iowait may decrease, see proc(5)).
 * Idle is idle + iowait (a CPU waiting for I/O could run other work). Busy is user + nice + system +
 * irq + softirq + steal; guest and guest_nice are left out because Linux already counts them in user
 * and nice.
 */
export function cpuUtilization(previous: CpuTimes, current: CpuTimes): number | undefined {
  const idle = current.idle + current.iowait - (previous.idle + previous.iowait);
  const busy = busyTicks(current) - busyTicks(previous);
  if (idle < 0 || busy < 0 || idle + busy === 0) return undefined;
  return busy / (busy + idle);
}

function busyTicks(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.irq + t.softirq + t.steal;
}
