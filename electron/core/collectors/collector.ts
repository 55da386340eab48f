/**
 * What every host collector (local, SSH) offers the engine. A collector never throws from collect():
 * a source it cannot read becomes an entry in the snapshot's `errors`, and its metrics are absent
 * (unknown), never zero.
 */
import type { HostState, Inventory, ProcessList, Snapshot } from '../../../shared/api.ts';
import type { HostKey } from '../../../shared/hosts.ts';

/**
 * Why a remote host gave no data: its state (never 'online'), a message a person can act on, and the
 * key it offered when that key is the reason. collect() of a remote collector rejects with it.
 */
export class HostUnavailableError extends Error {
  override name = 'HostUnavailableError';
  readonly state: HostState;
  readonly offeredKey: HostKey | null;

  constructor(state: HostState, message: string, offeredKey: HostKey | null = null) {
    super(message);
    this.state = state;
    this.offeredKey = offeredKey;
  }
}

export interface Collector {
  /** The host id the snapshots carry. */
  readonly host: string;
  /**
   * Takes one snapshot at `now` (ms since epoch). Counters become rates against the previous call of
   * this same collector, so the first snapshot has no rates (they are absent, not zero).
   */
  collect(now: number): Promise<Snapshot>;
  /** The busiest processes (top by CPU and top by memory); costs more, so it is polled more slowly. */
  processes(now: number): Promise<ProcessList>;
  /** What the host is (CPU model, OS, disks, interfaces). Read once. */
  inventory(): Promise<Inventory>;
  /** Releases files, timers and connections. */
  close(): Promise<void>;
}
