/**
 * What the local host is (CPU model, OS, disks, interfaces), from systeminformation on every platform,
 * time-bound, with Node's os module as the fallback for whatever systeminformation cannot tell in time.
 */
import os from 'node:os';
import si from 'systeminformation';
import type { Inventory } from '../../../shared/api.ts';

/** How long inventory waits for systeminformation (it spawns lsblk, system_profiler, PowerShell), ms. */
export const INVENTORY_TIMEOUT_MS = 10_000;

/**
 * Reads the local host's inventory for host id `host`. Never throws: each part systeminformation does
 * not answer within `timeoutMs` (or fails to give) comes from os.* instead, and disks are then empty.
 */
export async function readInventory(host: string, timeoutMs = INVENTORY_TIMEOUT_MS): Promise<Inventory> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, null);
  });
  const bounded = <T>(p: Promise<T>): Promise<T | null> => Promise.race([p.catch(() => null), deadline]);
  const [osInfo, cpu, disks, interfaces] = await Promise.all([
    bounded(si.osInfo()), bounded(si.cpu()), bounded(si.diskLayout()), bounded(si.networkInterfaces()),
  ]);
  clearTimeout(timer);

  const cpus = os.cpus();
  return {
    host,
    hostname: osInfo?.hostname || os.hostname(),
    os: osInfo && osInfo.distro ? `${osInfo.distro} ${osInfo.release}`.trim() : `${os.type()} ${os.release()}`,
    kernel: osInfo?.kernel || os.release(),
    arch: osInfo?.arch || os.arch(),
    cpuModel: cpu && cpu.brand ? `${cpu.manufacturer} ${cpu.brand}`.trim() : (cpus[0]?.model ?? '').trim(),
    logicalCpus: cpu && cpu.cores > 0 ? cpu.cores : os.availableParallelism(),
    // os.totalmem is what the kernel reports (MemTotal on Linux), the same number system.memory.limit has.
    memoryTotal: os.totalmem(),
    disks: (disks ?? []).map((d) => ({ device: d.device, model: d.name, size: d.size })),
    interfaces: Array.isArray(interfaces)
      ? interfaces.map((i) => ({ name: i.iface, mac: i.mac, addresses: [i.ip4, i.ip6].filter((a) => a !== '') }))
      : osInterfaces(),
  };
}

function osInterfaces(): Inventory['interfaces'] {
  return Object.entries(os.networkInterfaces()).map(([name, addrs]) => ({
    name,
    mac: addrs?.[0]?.mac ?? '',
    addresses: (addrs ?? []).map((a) => a.address),
  }));
}
