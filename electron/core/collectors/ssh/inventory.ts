/**
 * What a remote host is, from the loop's `inventory` answer: `uname -m`, the host name and kernel
 * release (/proc/sys/kernel, proc(5)), /etc/os-release (os-release(5)), /proc/meminfo's MemTotal, the
 * processor and model lines of /proc/cpuinfo, and `grep -H .` of /sys/block/NAME/{size,device/model}
 * (size in 512-byte sectors, whatever the device's block size: block/stat.rst) and
 * /sys/class/net/NAME/address. Interface addresses are not read (that needs ip(8), which hosts may lack).
 */
import type { Inventory } from '../../../../shared/api.ts';
import { parseMeminfo } from '../linux/meminfo.ts';
import { parseUint } from '../linux/text.ts';
import type { Answer } from './frame.ts';
import { INVENTORY_FILES } from './loop.ts';
import { splitHeadOutput } from './sections.ts';

const INVENTORY_FILE_SET: ReadonlySet<string> = new Set(INVENTORY_FILES);

/** A value of os-release: `KEY=value`, `KEY="value"` or `KEY='value'`, shell-style quoting undone. */
function osReleaseValue(text: string, key: string): string {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${key}=`)) continue;
    let value = line.slice(key.length + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([$"`\\])/g, '$1');
    }
    return value;
  }
  return '';
}

/** The CPU model and the number of logical CPUs from cpuinfo's processor and model lines. */
function cpuOf(text: string): { model: string; count: number } {
  let model = '';
  let count = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') count++;
    // x86 names it "model name"; some ARM kernels "Hardware", MIPS "cpu model".
    else if (model === '' && (key === 'model name' || key === 'cpu model' || key === 'Hardware')) model = value;
  }
  return { model, count };
}

/** Disks and interfaces from `grep -H .` lines of /sys/block and /sys/class/net. */
function sysOf(text: string): Pick<Inventory, 'disks' | 'interfaces'> {
  const disks = new Map<string, { device: string; model: string; size: number }>();
  const interfaces: Inventory['interfaces'] = [];
  const disk = (name: string) => {
    let d = disks.get(name);
    if (d === undefined) {
      d = { device: name, model: '', size: 0 };
      disks.set(name, d);
    }
    return d;
  };
  for (const line of text.split('\n')) {
    let m = /^\/sys\/block\/([^/:]+)\/size:(\d+)$/.exec(line);
    if (m) {
      const sectors = parseUint(m[2]!);
      if (sectors >= 0) disk(m[1]!).size = sectors * 512;
      continue;
    }
    m = /^\/sys\/block\/([^/:]+)\/device\/model:(.*)$/.exec(line);
    if (m) {
      disk(m[1]!).model = m[2]!.trim();
      continue;
    }
    m = /^\/sys\/class\/net\/([^/:]+)\/address:(.*)$/.exec(line);
    if (m) interfaces.push({ name: m[1]!, mac: m[2]!.trim(), addresses: [] });
  }
  // Devices without media (empty card readers, unused loop and zram devices) have size 0: not disks.
  return { disks: [...disks.values()].filter((d) => d.size > 0), interfaces };
}

/** The inventory of host id `host` from an `inventory` answer. Never throws: what is missing is '' or 0. */
export function parseInventoryAnswer(host: string, answer: Answer): Inventory {
  const files = splitHeadOutput(answer.get('files') ?? '', (p) => INVENTORY_FILE_SET.has(p));
  const osRelease = files.get('/etc/os-release') ?? '';
  const meminfo = parseMeminfo(files.get('/proc/meminfo') ?? '').value;
  const cpu = cpuOf(answer.get('cpuinfo') ?? '');
  const name = osReleaseValue(osRelease, 'PRETTY_NAME')
    || `${osReleaseValue(osRelease, 'NAME')} ${osReleaseValue(osRelease, 'VERSION')}`.trim();
  return {
    host,
    hostname: (files.get('/proc/sys/kernel/hostname') ?? '').trim(),
    os: name || 'Linux',
    kernel: (files.get('/proc/sys/kernel/osrelease') ?? '').trim(),
    arch: (answer.get('arch') ?? '').trim(),
    cpuModel: cpu.model,
    logicalCpus: cpu.count,
    memoryTotal: meminfo?.memTotal ?? 0,
    ...sysOf(answer.get('sys') ?? ''),
  };
}
