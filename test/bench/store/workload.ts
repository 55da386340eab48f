/**
 * A deterministic fleet workload for the store benchmark: hosts shaped like the Linux servers the SSH
 * collector polls, 40 series each, with values made the way the collector makes them (rates are counter
 * deltas over the measured interval, ratios are tick counts over tick counts, sizes are kB or 4 KiB
 * blocks), and snapshot times with the jitter real polling has. How much CPU, memory and process counts
 * move between polls was matched to a recording of a real machine and a loopback SSH host
 * (`npm run bench:store -- --record FILE`); the comments say what was measured.
 *
 * Series of one host (40): system.cpu.utilization (total and 4 cores), system.cpu.load_average.{1m,5m,15m},
 * system.memory.usage{used,free,cached,buffers}, system.memory.limit, system.memory.utilization,
 * system.paging.usage{used,free}, system.paging.utilization, system.filesystem.usage{2 mounts ×
 * used,free,reserved}, system.filesystem.limit and .utilization per mount, system.disk.io and
 * system.disk.operations {read,write} of one disk, system.network.io {receive,transmit} of two interfaces
 * (the second mostly idle), system.uptime, system.process.count, one hw.temperature, and the engine's
 * `up` and `hostwatch.ssh.host_key_changed`. (system.cpu.logical.count, a constant, is left out to
 * keep 40.)
 */
import type { Sample, Snapshot } from '../../../shared/api.ts';
import { Attr, type Attributes } from '../../../shared/metrics.ts';

/**
 * Poll interval of every simulated host, ms, unless a fleet is given another (`intervalMs`): the
 * interval the workload's figures were matched at, and what the store benchmark uses.
 */
export const INTERVAL_MS = 5000;
/** Series per host. */
export const SERIES_PER_HOST = 40;
/** Start of simulated time: Monday 2025-03-03 00:00 UTC (hour- and day-aligned, so windows line up). */
export const EPOCH_MS = Date.UTC(2025, 2, 3);

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** USER_HZ: /proc/stat counts CPU time in ticks of 10 ms. */
const USER_HZ = 100;
const KIB = 1024;
const BLOCK = 4096;
const SECTOR = 512;

/** mulberry32: a small, fast, seedable 32-bit PRNG; plenty for synthetic data. */
export class Rng {
  #state: number;
  #spare: number | null = null;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.next())]!;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson count with mean `lambda` (Knuth below 30, normal approximation above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Seed of host `index` of a run seeded with `seed` (distinct streams per host, stable across runs). */
function hostSeed(seed: number, index: number): number {
  let h = (seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Spread (sigma of the log) of the per-poll factor on a host's CPU activity: work comes in bursts
 * shorter than a poll. Its median keeps the factor's mean at 1, so the activity levels stay as set.
 */
const JOLT_SIGMA = 0.5;
const JOLT_MEDIAN = Math.exp(-(JOLT_SIGMA ** 2) / 2);
/** Standard deviation of the memory that comes and goes with the load, kB per unit of activity, per poll. */
const MEMORY_CHURN_KB = 300_000;

/** Series identity as the workload declares it: what a query of one series selects. */
export interface SeriesDef {
  metric: string;
  attributes: Attributes;
}

type Kind = 'web' | 'db' | 'batch' | 'idle';

/**
 * How the per-poll figures, matched at INTERVAL_MS, change for a poll `k` times as long (k = interval /
 * INTERVAL_MS). Exactly the 5 s figures when k is 1, so the store benchmark's workload is unchanged.
 */
class PollScale {
  readonly k: number;
  /** √k: a sum of k independent per-poll steps (random walks, noise that accumulates) spreads by √k. */
  readonly sqrtK: number;
  /** 1/√k: noise that averages out over a longer poll (per-core tick noise). */
  readonly invSqrtK: number;

  constructor(intervalMs: number) {
    this.k = intervalMs / INTERVAL_MS;
    this.sqrtK = Math.sqrt(this.k);
    this.invSqrtK = 1 / this.sqrtK;
  }

  /** Chance that an event with chance `p` per 5 s poll happens at least once in this poll. */
  chance(p: number): number {
    return this.k === 1 ? p : 1 - (1 - p) ** this.k;
  }

  /** Chance that something with chance `p` per 5 s poll happens in none of the k of this poll. */
  none(p: number): number {
    return this.k === 1 ? p : p ** this.k;
  }

  /**
   * How many times larger an amount that comes with an event of chance `p` per 5 s poll is in this
   * poll, given that it happened at all (chance(p)): the k·p events expected, over that chance.
   */
  perEvent(p: number): number {
    return this.k === 1 ? 1 : (this.k * p) / this.chance(p);
  }

  /** A decay by `a` per 5 s poll (x = a·x), over this poll. */
  decay(a: number): number {
    return this.k === 1 ? a : a ** this.k;
  }

  /** An exponential pull of `rate` per 5 s poll (x += rate × (target − x)), over this poll. */
  pull(rate: number): number {
    return this.k === 1 ? rate : 1 - (1 - rate) ** this.k;
  }

  /**
   * For an AR(1) step x = a·x + σ·noise per 5 s poll, the factor on σ that keeps its spread over k
   * steps in one: √((1 − a^2k) / (1 − a²)).
   */
  arNoise(a: number): number {
    return this.k === 1 ? 1 : Math.sqrt((1 - a ** (2 * this.k)) / (1 - a * a));
  }
}

/** Attribute objects, made once per host and shared by every snapshot (as the collector does). */
function attrs(a: Record<string, string>): Attributes {
  return Object.freeze(a);
}

const NONE: Attributes = attrs({});

/**
 * One simulated server. `next()` returns its snapshots one by one, `intervalMs` (default 5 s) apart with
 * jitter; `nextTime` is the time of the snapshot the next call returns. Deterministic for a given seed,
 * index and interval.
 *
 * Another interval than 5 s keeps the host's behaviour over time, not per poll: rates are still deltas
 * over the measured interval, events that had a chance per 5 s poll (bursts, service restarts, swapping,
 * disk reads) get the chance of happening in any of the poll's 5 s steps, drifts and random walks move
 * as far as that many steps would, amounts that accumulate (bytes written, blocks of a filesystem, page
 * cache growth) are that many times larger, and noise that averages out over the poll (CPU ticks) is
 * smaller. Polling jitter stays tens of ms, and a failed poll stays a per-poll chance.
 */
export class HostSim {
  readonly host: string;
  readonly series: readonly SeriesDef[];
  nextTime: number;

  readonly #rng: Rng;
  readonly #kind: Kind;
  readonly #end: number;
  readonly #interval: number;
  readonly #scale: PollScale;
  readonly #joltSigma: number;
  readonly #joltMedian: number;
  #grid: number;
  #lastTime = Number.NaN;

  // Profile, fixed per host.
  readonly #cores = 4;
  readonly #coreWeight: number[];
  readonly #baseCpu: number;
  readonly #diurnal: number;
  readonly #memTotalKb: number;
  readonly #swapTotalKb: number;
  readonly #fsBlocks: [number, number];
  readonly #fsReserved: [number, number];
  readonly #fsGrowth: [number, number];
  readonly #coretemp: boolean;
  readonly #baseProcs: number;
  #rebootAt: number;
  #bootTime: number;

  // State.
  #burst = 0;
  #burstLeft = 0;
  #load = [0, 0, 0];
  #usedKb: number;
  /** Memory the current load holds on top of #usedKb (workers, builds, buffers), kB; comes and goes. */
  #transientKb = 0;
  #usedTarget: number;
  #cachedKb: number;
  #buffersKb: number;
  #swapUsedKb: number;
  #fsUsed: [number, number];
  #procs: number;
  #temp = 40;
  #down = 0;
  /** Counters were reset (reboot) or never read: the next poll has no rates. */
  #noBaseline = true;

  // Attributes, made once.
  readonly #a: Record<string, Attributes>;

  /**
   * `index` picks the host's profile and random stream; `start` and `end` (ms) bound its snapshots;
   * `phase` (ms, 0 to the interval) is its offset on the poll grid, as hosts added at different moments
   * have; `intervalMs` its poll interval (default INTERVAL_MS, 5 s).
   */
  constructor(options: { host: string; seed: number; index: number; start: number; end: number; phase: number; intervalMs?: number }) {
    const rng = (this.#rng = new Rng(hostSeed(options.seed, options.index)));
    this.host = options.host;
    this.#end = options.end;
    this.#interval = options.intervalMs ?? INTERVAL_MS;
    if (!(this.#interval >= 1000)) throw new RangeError(`intervalMs: at least 1000 ms, got ${options.intervalMs}`);
    const scale = (this.#scale = new PollScale(this.#interval));
    // The host-wide factor on CPU activity: a longer poll averages more bursts, so it spreads less.
    this.#joltSigma = scale.k === 1 ? JOLT_SIGMA : JOLT_SIGMA * scale.invSqrtK;
    this.#joltMedian = scale.k === 1 ? JOLT_MEDIAN : Math.exp(-(this.#joltSigma ** 2) / 2);
    this.#grid = options.start + options.phase;
    this.#kind = rng.pick<Kind>(['web', 'web', 'db', 'batch', 'idle', 'idle']);
    const kind = this.#kind;
    this.#coreWeight = Array.from({ length: this.#cores }, () => rng.range(0.6, 1.4));
    this.#baseCpu = { web: 0.12, db: 0.2, batch: 0.05, idle: 0.01 }[kind] * rng.range(0.5, 1.5);
    this.#diurnal = { web: 0.25, db: 0.15, batch: 0.03, idle: 0.005 }[kind] * rng.range(0.5, 1.5);
    this.#memTotalKb = rng.pick([8, 16, 32, 64]) * 1024 * 1024 - rng.int(150_000, 400_000);
    this.#swapTotalKb = rng.next() < 0.4 ? 0 : rng.pick([2, 4]) * 1024 * 1024;
    const gib = 1024 ** 3 / BLOCK;
    this.#fsBlocks = [Math.round(rng.pick([40, 80, 200]) * gib), Math.round(rng.pick([100, 500, 2000]) * gib)];
    // ext4 root reserves 5 % for root; the data volume is XFS, which reserves nothing.
    this.#fsReserved = [Math.round(this.#fsBlocks[0] * 0.05), 0];
    this.#fsUsed = [Math.round(this.#fsBlocks[0] * rng.range(0.2, 0.7)), Math.round(this.#fsBlocks[1] * rng.range(0.05, 0.8))];
    // Blocks per poll: logs on root, data on the volume.
    this.#fsGrowth = [rng.range(0.5, 6), { web: 2, db: 25, batch: 60, idle: 0.2 }[kind] * rng.range(0.3, 2)];
    this.#coretemp = rng.next() < 0.5;
    this.#baseProcs = { web: 190, db: 150, batch: 230, idle: 110 }[kind] + rng.int(-30, 30);
    this.#procs = this.#baseProcs;
    this.#usedTarget = this.#memTotalKb * { web: 0.35, db: 0.7, batch: 0.4, idle: 0.15 }[kind] * rng.range(0.7, 1.2);
    this.#usedKb = this.#usedTarget;
    this.#buffersKb = rng.range(50_000, 400_000);
    this.#cachedKb = (this.#memTotalKb - this.#usedKb) * rng.range(0.3, 0.8);
    this.#swapUsedKb = this.#swapTotalKb === 0 ? 0 : Math.round(rng.range(0, 0.2) * this.#swapTotalKb / 4) * 4;
    this.#bootTime = options.start - rng.range(1, 200) * DAY_MS;
    // About one host in 25 reboots once, somewhere in its span.
    this.#rebootAt = rng.next() < 0.04 ? options.start + rng.range(0.1, 0.9) * (options.end - options.start) : Infinity;
    const load = this.#baseCpu * this.#cores;
    this.#load = [load, load, load];

    const eth = rng.pick(['eth0', 'ens3', 'enp1s0']);
    const eth2 = eth === 'eth0' ? 'eth1' : eth === 'ens3' ? 'ens4' : 'enp2s0';
    const disk = rng.pick(['nvme0n1', 'sda', 'vda']);
    const mounts = ['/', rng.pick(['/home', '/srv', '/var/lib/data'])] as const;
    const sensor = this.#coretemp ? 'coretemp Package id 0' : 'acpitz temp1';
    this.#a = {
      ...Object.fromEntries(Array.from({ length: this.#cores }, (_, c) => [`cpu${c}`, attrs({ [Attr.cpu]: String(c) })])),
      used: attrs({ [Attr.memoryState]: 'used' }),
      free: attrs({ [Attr.memoryState]: 'free' }),
      cached: attrs({ [Attr.memoryState]: 'cached' }),
      buffers: attrs({ [Attr.memoryState]: 'buffers' }),
      swapUsed: attrs({ [Attr.pagingState]: 'used' }),
      swapFree: attrs({ [Attr.pagingState]: 'free' }),
      ...Object.fromEntries(mounts.flatMap((m, i) => [
        [`fs${i}`, attrs({ [Attr.mountpoint]: m })],
        ...(['used', 'free', 'reserved'] as const).map((s) => [`fs${i}${s}`, attrs({ [Attr.mountpoint]: m, [Attr.filesystemState]: s })]),
      ])),
      diskRead: attrs({ [Attr.device]: disk, [Attr.diskDirection]: 'read' }),
      diskWrite: attrs({ [Attr.device]: disk, [Attr.diskDirection]: 'write' }),
      rx0: attrs({ [Attr.device]: eth, [Attr.networkDirection]: 'receive' }),
      tx0: attrs({ [Attr.device]: eth, [Attr.networkDirection]: 'transmit' }),
      rx1: attrs({ [Attr.device]: eth2, [Attr.networkDirection]: 'receive' }),
      tx1: attrs({ [Attr.device]: eth2, [Attr.networkDirection]: 'transmit' }),
      sensor: attrs({ [Attr.sensor]: sensor }),
    };
    // One poll simulated ahead of time names the series (it advances the state; still deterministic).
    this.series = this.#samples(this.#grid, this.#interval / 1000, true).map((s) => ({ metric: s.metric, attributes: s.attributes }));
    this.#noBaseline = true;
    this.nextTime = this.#jittered(this.#grid);
  }

  /** True when the host has no snapshot left before its end. */
  get done(): boolean {
    return this.nextTime >= this.#end;
  }

  /** The host's next snapshot (at `nextTime`). */
  next(): Snapshot {
    const time = this.nextTime;
    this.#grid += this.#interval;
    this.nextTime = this.#jittered(this.#grid);

    if (time >= this.#rebootAt) {
      // Down for ~90 s: polls fail; then it comes back with fresh counters (no rates on its first poll).
      this.#rebootAt = Infinity;
      this.#down = Math.ceil(90_000 / this.#interval);
      this.#bootTime = time + 60_000;
      this.#noBaseline = true;
    }
    // A failed poll (reboot, or the odd SSH timeout) has only the engine's health samples.
    if (this.#down > 0 || this.#rng.next() < 0.0002) {
      if (this.#down > 0) this.#down--;
      return { host: this.host, time, samples: this.#health(0), errors: [{ source: 'ssh', message: 'Timed out' }] };
    }
    // Rates span the time since the last successful read.
    const dt = Number.isNaN(this.#lastTime) ? this.#interval / 1000 : (time - this.#lastTime) / 1000;
    this.#lastTime = time;
    return { host: this.host, time, samples: this.#samples(time, dt, false), errors: [] };
  }

  /** A grid point moved by polling jitter: timers and SSH round trips, tens of ms (integer ms). */
  #jittered(grid: number): number {
    return grid + Math.round(clamp(20 * this.#rng.normal(), -60, 80));
  }

  #health(up: 0 | 1): Sample[] {
    return [
      { metric: 'up', attributes: NONE, value: up },
      { metric: 'hostwatch.ssh.host_key_changed', attributes: NONE, value: 0 },
    ];
  }

  /**
   * The samples of one poll at `time` (ms), `dt` s after the previous one. `all`: include the rates even
   * without a baseline (to list the series).
   */
  #samples(time: number, dt: number, all: boolean): Sample[] {
    const rng = this.#rng;
    const a = this.#a;
    const sc = this.#scale;
    const out: Sample[] = [];
    const push = (metric: string, attributes: Attributes, value: number) => out.push({ metric, attributes, value });
    const rates = all || !this.#noBaseline;
    this.#noBaseline = false;

    // Activity 0–1: a base, a daily cycle peaking mid-afternoon UTC, and bursts of minutes.
    const dayPhase = ((time % DAY_MS) / DAY_MS) * 2 * Math.PI;
    if (this.#burstLeft > 0) this.#burstLeft--;
    else if (rng.next() < sc.chance(this.#kind === 'idle' ? 0.0005 : 0.002)) {
      // 6–120 polls of 5 s: 30 s to 10 min.
      const polls = rng.int(6, 120);
      this.#burstLeft = sc.k === 1 ? polls : Math.max(1, Math.round(polls / sc.k));
      this.#burst = rng.range(0.2, 0.8);
    }
    const hour = (time % DAY_MS) / HOUR_MS;
    const nightly = this.#kind === 'batch' && hour >= 2 && hour < 3 ? 0.6 : 0;
    const activity = clamp(this.#baseCpu + this.#diurnal * (0.5 - 0.5 * Math.cos(dayPhase - Math.PI / 3)) +
      (this.#burstLeft > 0 ? this.#burst : 0) + nightly, 0, 1);

    // CPU: busy ticks over total ticks per core, as /proc/stat differences give. One factor per poll for
    // the whole host, since bursts of work hit every core at once, then each core's own noise. Recorded
    // every 5 s: under load a core moved by a median 0.10–0.16 between polls and the total about as much;
    // idle, by 0.002 (so the noise floor is small).
    const jolt = rng.logNormal(this.#joltMedian, this.#joltSigma);
    let busyAll = 0;
    let ticksAll = 0;
    const core: number[] = [];
    for (let c = 0; c < this.#cores; c++) {
      const ticks = Math.max(1, Math.round(dt * USER_HZ) + rng.int(-1, 1));
      const u = clamp(activity * jolt * this.#coreWeight[c]! + (0.005 + 0.1 * activity) * sc.invSqrtK * rng.normal(), 0, 1);
      const busy = Math.round(u * ticks);
      busyAll += busy;
      ticksAll += ticks;
      core.push(busy / ticks);
    }
    if (rates) {
      push('system.cpu.utilization', NONE, busyAll / ticksAll);
      for (let c = 0; c < this.#cores; c++) push('system.cpu.utilization', a[`cpu${c}`]!, core[c]!);
    }

    // Load averages: the kernel's exponential averages of runnable tasks, printed with 2 decimals.
    const runnable = rng.poisson(activity * this.#cores * 1.1 + (this.#kind === 'db' ? 0.3 : 0.05));
    const decay = [Math.exp(-dt / 60), Math.exp(-dt / 300), Math.exp(-dt / 900)];
    for (let i = 0; i < 3; i++) this.#load[i] = this.#load[i]! * decay[i]! + runnable * (1 - decay[i]!);
    push('system.cpu.load_average.1m', NONE, round2(this.#load[0]!));
    push('system.cpu.load_average.5m', NONE, round2(this.#load[1]!));
    push('system.cpu.load_average.15m', NONE, round2(this.#load[2]!));

    // Memory (kB in /proc/meminfo): used drifts around a target that moves when services start or stop,
    // plus what the load holds, which comes and goes between polls (recorded: used moved by a median
    // 50–120 MB between 5 s polls under load, and stayed put when idle). The page cache grows, and under
    // load also churns (files written and deleted: about 1 % a poll recorded).
    const total = this.#memTotalKb;
    if (rng.next() < sc.chance(0.002)) this.#usedTarget = clamp(this.#usedTarget + rng.range(-0.08, 0.08) * total, 0.05 * total, 0.9 * total);
    this.#usedKb = clamp(this.#usedKb + sc.pull(0.01) * (this.#usedTarget - this.#usedKb) + 600 * sc.arNoise(0.99) * rng.normal(),
      0.03 * total, 0.95 * total);
    this.#transientKb = sc.decay(0.6) * this.#transientKb + MEMORY_CHURN_KB * sc.arNoise(0.6) * activity * rng.normal();
    const usedNowKb = clamp(this.#usedKb + 0.03 * activity * total + this.#transientKb, 0.03 * total, 0.95 * total);
    if (rng.next() < sc.chance(0.3)) this.#buffersKb = Math.max(10_000, this.#buffersKb + 40 * sc.sqrtK * rng.normal());
    const room = total - usedNowKb - this.#buffersKb - 0.02 * total;
    this.#cachedKb = Math.max(0, Math.min(room, this.#cachedKb + Math.abs(300 * sc.k * rng.normal()) * (this.#kind === 'idle' ? 0.2 : 1) +
      0.03 * sc.sqrtK * activity * this.#cachedKb * rng.normal()));
    if (rng.next() < sc.chance(0.0005)) this.#cachedKb *= rng.range(0.5, 0.9); // memory pressure or drop_caches
    const usedKb = Math.round(usedNowKb);
    const buffersKb = Math.round(this.#buffersKb);
    const cachedKb = Math.round(this.#cachedKb);
    const freeKb = total - usedKb - buffersKb - cachedKb + Math.round(200 * rng.normal());
    push('system.memory.limit', NONE, total * KIB);
    push('system.memory.usage', a.used!, usedKb * KIB);
    push('system.memory.usage', a.free!, Math.max(0, freeKb) * KIB);
    push('system.memory.usage', a.cached!, cachedKb * KIB);
    push('system.memory.usage', a.buffers!, buffersKb * KIB);
    push('system.memory.utilization', NONE, usedKb / total);
    // Swap: pages move in and out rarely, in 4 kB pages.
    if (this.#swapTotalKb > 0 && rng.next() < sc.chance(0.01)) {
      this.#swapUsedKb = clamp(this.#swapUsedKb + 4 * rng.int(-50, 60), 0, this.#swapTotalKb);
    }
    push('system.paging.usage', a.swapUsed!, this.#swapUsedKb * KIB);
    push('system.paging.usage', a.swapFree!, (this.#swapTotalKb - this.#swapUsedKb) * KIB);
    push('system.paging.utilization', NONE, this.#swapTotalKb > 0 ? this.#swapUsedKb / this.#swapTotalKb : 0);

    // Uptime: /proc/uptime, 2 decimals, read a few ms after the poll started.
    push('system.uptime', NONE, round2((time + rng.int(3, 40) - this.#bootTime) / 1000));

    // Processes: a random walk, livelier under load (workers and jobs come and go: recorded, a median
    // change of 2–4 between polls when busy; idle, the same count in 96 % of polls), with cron jobs
    // every 5 minutes.
    this.#procs = Math.max(20, this.#procs + Math.round((0.3 + 6 * activity) * sc.arNoise(0.98) * rng.normal() +
      sc.pull(0.02) * (this.#baseProcs - this.#procs)));
    const cron = time % 300_000 < this.#interval ? rng.int(2, 12) : 0;
    push('system.process.count', NONE, this.#procs + cron);

    // Network: counter deltas over the measured interval. The SSH session of the poll itself moves a
    // few kB; services add a daily cycle and bursts; the second interface only sees the odd ARP.
    const scale = { web: 400_000, db: 150_000, batch: 20_000, idle: 0 }[this.#kind];
    const rxBytes = Math.round(rng.range(300, 700) + scale * activity * rng.logNormal(1, 0.4) * dt * 0.3);
    const txBytes = Math.round(rng.range(6_000, 14_000) + scale * activity * rng.logNormal(1, 0.5) * dt +
      (nightly > 0 ? rng.range(40e6, 90e6) * dt : 0));
    const arp = () => (rng.next() < sc.chance(0.02) ? 60 * rng.int(1, 3) : 0);
    if (rates) {
      push('system.network.io', a.rx0!, rxBytes / dt);
      push('system.network.io', a.tx0!, txBytes / dt);
      push('system.network.io', a.rx1!, arp() / dt);
      push('system.network.io', a.tx1!, arp() / dt);
    }

    // Disk: sectors and completed requests over the interval. Writes: journal commits (often none in
    // 5 s on an idle host), more under load, large during a backup; reads mostly served by the cache.
    const writeQuiet = { web: 0.3, db: 0.05, batch: 0.4, idle: 0.7 }[this.#kind];
    let writeBytes = rng.next() < sc.none(writeQuiet) ? 0 : rng.logNormal(60_000, 1) * sc.perEvent(1 - writeQuiet) * (1 + 20 * activity);
    if (this.#burstLeft > 0 && this.#kind !== 'web') writeBytes += rng.logNormal(5e6, 0.5) * dt;
    const readBusy = { web: 0.05, db: 0.5, batch: 0.1, idle: 0.02 }[this.#kind];
    let readBytes = rng.next() < sc.chance(readBusy) ? rng.logNormal(40_000, 1.5) * sc.perEvent(readBusy) : 0;
    if (nightly > 0) readBytes += rng.range(100e6, 300e6) * dt;
    const writeSectors = Math.round(writeBytes / SECTOR);
    const readSectors = Math.round(readBytes / SECTOR);
    const writeOps = writeSectors === 0 ? 0 : Math.max(1, Math.round(writeSectors * SECTOR / rng.range(8_000, 64_000)));
    const readOps = readSectors === 0 ? 0 : Math.max(1, Math.round(readSectors * SECTOR / rng.range(4_000, 128_000)));
    if (rates) {
      push('system.disk.io', a.diskRead!, readSectors * SECTOR / dt);
      push('system.disk.io', a.diskWrite!, writeSectors * SECTOR / dt);
      push('system.disk.operations', a.diskRead!, readOps / dt);
      push('system.disk.operations', a.diskWrite!, writeOps / dt);
    }

    // Temperature: follows the load; coretemp reads whole degrees, ACPI zones tenths.
    this.#temp += sc.pull(0.2) * (35 + 45 * activity - this.#temp) + 0.4 * sc.arNoise(0.8) * rng.normal();
    push('hw.temperature', a.sensor!, this.#coretemp ? Math.round(this.#temp) : Math.round((this.#temp - 10) * 10) / 10);

    // Filesystems (statfs, 4 KiB blocks): used grows with logs and data; logrotate deletes at midnight.
    for (let i = 0; i < 2; i++) {
      const blocks = this.#fsBlocks[i]!;
      let used = this.#fsUsed[i]! + rng.poisson(this.#fsGrowth[i]! * sc.k * (0.3 + activity) + (nightly > 0 && i === 1 ? 2000 * sc.k : 0));
      if (time % DAY_MS < this.#interval) used -= Math.round(rng.range(0.001, 0.01) * used);
      used = clamp(used, 0, blocks - this.#fsReserved[i]!);
      this.#fsUsed[i] = used;
      const reserved = this.#fsReserved[i]!;
      const free = blocks - used - reserved;
      push('system.filesystem.usage', a[`fs${i}used`]!, used * BLOCK);
      push('system.filesystem.usage', a[`fs${i}free`]!, free * BLOCK);
      push('system.filesystem.usage', a[`fs${i}reserved`]!, reserved * BLOCK);
      push('system.filesystem.limit', a[`fs${i}`]!, blocks * BLOCK);
      push('system.filesystem.utilization', a[`fs${i}`]!, used / (used + free));
    }

    out.push(...this.#health(1));
    return out;
  }
}

/** The hosts of one phase of the benchmark and their snapshots, merged in time order. */
export class Fleet {
  readonly hosts: readonly HostSim[];

  /**
   * `count` hosts named `${prefix}-01`…, seeded from `seed` and `firstIndex + i`, polling every
   * `intervalMs` (default INTERVAL_MS, 5 s) from `start` to `end` (ms), spread evenly over the interval.
   */
  constructor(options: { prefix: string; count: number; seed: number; firstIndex: number; start: number; end: number; intervalMs?: number }) {
    const interval = options.intervalMs ?? INTERVAL_MS;
    const width = String(options.count).length < 2 ? 2 : String(options.count).length;
    this.hosts = Array.from({ length: options.count }, (_, i) => new HostSim({
      host: `${options.prefix}-${String(i + 1).padStart(width, '0')}`,
      seed: options.seed,
      index: options.firstIndex + i,
      start: options.start,
      end: options.end,
      // Offsets away from the grid's edges, so jitter rarely reorders a cycle's first and last host.
      phase: 100 + Math.floor((i * (interval - 200)) / options.count),
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    }));
  }

  /** Every snapshot of every host, in time order (a binary heap on each host's next time). */
  *snapshots(): Generator<Snapshot> {
    const heap = this.hosts.filter((h) => !h.done);
    const less = (i: number, j: number) => heap[i]!.nextTime < heap[j]!.nextTime;
    const swap = (i: number, j: number) => {
      const t = heap[i]!;
      heap[i] = heap[j]!;
      heap[j] = t;
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const host = heap[0]!;
      yield host.next();
      if (host.done) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      down(0);
    }
  }
}
