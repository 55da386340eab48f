/**
 * Counter → rate conversion: rates per second, resets and wraps, first readings, CPU utilization from
 * tick deltas.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CounterRates, counterRate, cpuUtilization } from '../../../electron/core/collectors/rates.ts';
import type { CpuTimes } from '../../../electron/core/collectors/linux/stat.ts';

const ZERO: CpuTimes = {
  user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0,
};
const times = (t: Partial<CpuTimes>): CpuTimes => ({ ...ZERO, ...t });

describe('counterRate', () => {
  test('is the growth per second', () => {
    assert.equal(counterRate(1000, 3000, 2), 1000);
    assert.equal(counterRate(5, 5, 1), 0);
  });

  test('is absent after a counter reset or a 32-bit wrap', () => {
    assert.equal(counterRate(4294967000, 200, 1), undefined);
    assert.equal(counterRate(10, 9, 1), undefined);
  });

  test('is absent when no time elapsed or time went backwards', () => {
    assert.equal(counterRate(1, 2, 0), undefined);
    assert.equal(counterRate(1, 2, -1), undefined);
    assert.equal(counterRate(1, 2, Number.NaN), undefined);
  });
});

describe('CounterRates', () => {
  test('the first round has no rates, the next has bytes per second over the elapsed time', () => {
    const rates = new CounterRates();
    rates.begin(10_000);
    assert.equal(rates.rate('eth0', 1_000_000), undefined);
    rates.end();
    rates.begin(12_000);
    assert.equal(rates.rate('eth0', 1_500_000), 250_000);
    rates.end();
  });

  test('after a reset, the interval has no rate and the next one measures from the new value', () => {
    const rates = new CounterRates();
    const round = (now: number, value: number): number | undefined => {
      rates.begin(now);
      const r = rates.rate('sda', value);
      rates.end();
      return r;
    };
    round(0, 900);
    assert.equal(round(1000, 100), undefined);
    assert.equal(round(2000, 400), 300);
  });

  test('a counter missing from a round is forgotten, so it comes back without a rate', () => {
    const rates = new CounterRates();
    rates.begin(0);
    rates.rate('veth1', 10);
    rates.rate('eth0', 10);
    rates.end();
    rates.begin(1000);
    rates.rate('eth0', 20);
    rates.end();
    rates.begin(2000);
    assert.equal(rates.rate('veth1', 50), undefined);
    assert.equal(rates.rate('eth0', 30), 10);
    rates.end();
  });

  test('two instances keep separate baselines', () => {
    const fast = new CounterRates();
    const slow = new CounterRates();
    for (const r of [fast, slow]) {
      r.begin(0);
      r.rate('x', 0);
      r.end();
    }
    fast.begin(1000);
    assert.equal(fast.rate('x', 100), 100);
    fast.end();
    slow.begin(10_000);
    assert.equal(slow.rate('x', 100), 10);
    slow.end();
  });
});

describe('cpuUtilization', () => {
  test('is busy ticks over all ticks, counting iowait as idle', () => {
    const before = times({ user: 100, system: 50, idle: 800, iowait: 50 });
    const after = times({ user: 160, system: 70, idle: 900, iowait: 70 });
    // busy 80, idle 120.
    assert.equal(cpuUtilization(before, after), 80 / 200);
  });

  test('does not count guest time twice: it is already in user and nice', () => {
    const before = times({ user: 1000, nice: 100, idle: 1000, guest: 900, guestNice: 100 });
    const after = times({ user: 1100, nice: 200, idle: 1200, guest: 1000, guestNice: 200 });
    assert.equal(cpuUtilization(before, after), 200 / 400);
  });

  test('counts irq, softirq and steal as busy', () => {
    const after = times({ irq: 10, softirq: 20, steal: 30, idle: 40 });
    assert.equal(cpuUtilization(ZERO, after), 60 / 100);
  });

  test('is absent when no tick elapsed or a counter went backwards', () => {
    const t = times({ user: 10, idle: 10 });
    assert.equal(cpuUtilization(t, t), undefined);
    assert.equal(cpuUtilization(times({ user: 10, idle: 10 }), times({ user: 5, idle: 30 })), undefined);
    assert.equal(cpuUtilization(times({ user: 10, idle: 10 }), times({ user: 20, idle: 5 })), undefined);
  });

  test('stays within 0–1 for an idle and a saturated CPU', () => {
    assert.equal(cpuUtilization(ZERO, times({ idle: 100 })), 0);
    assert.equal(cpuUtilization(ZERO, times({ user: 100 })), 1);
  });
});
