/**
 * Micro-benchmark of the local collector: 1000 collect() calls back to back, printing the CPU time
 * (user + system, process.cpuUsage) and wall time each took, as median and 95th percentile.
 * Run: node test/bench/collect.bench.ts [calls]
 */
import { createLocalCollector } from '../../electron/core/collectors/local.ts';

const calls = Number(process.argv[2] ?? 1000);
const collector = createLocalCollector();
const cpuMs: number[] = [];
const wallMs: number[] = [];
let samples = 0;
// The first snapshot warms up (JIT, sensor scan) and has no rates: not measured.
await collector.collect(Date.now());
for (let i = 0; i < calls; i++) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const snapshot = await collector.collect(Date.now());
  wallMs.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000);
  samples = snapshot.samples.length;
}
await collector.close();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}
const ms = (v: number): string => `${v.toFixed(3)} ms`;
console.log(`collect() on ${process.platform}, ${calls} calls, ${samples} samples per snapshot`);
console.log(`CPU per snapshot:  median ${ms(percentile(cpuMs, 0.5))}, p95 ${ms(percentile(cpuMs, 0.95))}`);
console.log(`wall per snapshot: median ${ms(percentile(wallMs, 0.5))}, p95 ${ms(percentile(wallMs, 0.95))}`);
