/**
 * Parser of /proc/net/dev: cumulative bytes and packets received and sent per network interface.
 * Source: proc(5), "/proc/net/dev" (the kernel's net/core/net-procfs.c prints it).
 */
import { parseUint, splitFields, type Parsed } from './text.ts';

/** One interface's counters since it appeared (they restart when it is recreated). */
export interface InterfaceCounters {
  /** Interface name as the kernel knows it: `eth0`, `eth0.100`, `br-lan`, `wlp3s0`. */
  readonly name: string;
  readonly receiveBytes: number;
  readonly receivePackets: number;
  readonly transmitBytes: number;
  readonly transmitPackets: number;
}

/**
 * Parses /proc/net/dev: two header lines, then `  eth0: rxbytes rxpackets errs drop fifo frame
 * compressed multicast txbytes txpackets …`. Old kernels print no space after the colon when a
 * counter is wide (`eth0:123456789`), so the name ends at the first colon (names cannot contain one).
 * Never throws; malformed lines are skipped and counted in `error`.
 */
export function parseNetDev(text: string): Parsed<InterfaceCounters[]> {
  const out: InterfaceCounters[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    // Header lines have a '|' and no colon.
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = splitFields(line.slice(colon + 1));
    const rxBytes = parseUint(f[0] ?? '');
    const rxPackets = parseUint(f[1] ?? '');
    const txBytes = parseUint(f[8] ?? '');
    const txPackets = parseUint(f[9] ?? '');
    if (name === '' || rxBytes < 0 || rxPackets < 0 || txBytes < 0 || txPackets < 0) {
      bad++;
      continue;
    }
    out.push({ name, receiveBytes: rxBytes, receivePackets: rxPackets, transmitBytes: txBytes,
      transmitPackets: txPackets });
  }
  return { value: out, error: bad > 0 ? `${bad} malformed interface line(s)` : null };
}

/**
 * Interfaces skipped by default: loopback and the virtual ones containers, bridges and overlay networks
 * create (their traffic is also counted on a physical interface). A trailing `*` matches a prefix.
 */
export const DEFAULT_EXCLUDED_INTERFACES: readonly string[] = [
  'lo', 'veth*', 'docker*', 'br-*', 'virbr*', 'cni*', 'flannel*',
];

/**
 * A predicate for interface names from patterns like DEFAULT_EXCLUDED_INTERFACES (exact names, or
 * prefixes ending in `*`): true when `name` matches one of them.
 */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}
