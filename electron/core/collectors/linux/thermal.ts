/**
 * Parser of temperature sensors from sysfs: thermal zones (/sys/class/thermal/thermal_zoneN/{type,temp})
 * and hwmon chips (/sys/class/hwmon/hwmonN/{name,tempK_input,tempK_label}), all in millidegrees
 * Celsius. Sources: the kernel's Documentation/driver-api/thermal/sysfs-api.rst and
 * Documentation/hwmon/sysfs-interface.rst.
 *
 * The input is one `path:value` line per file, which is what `grep -H . FILES…` prints, so a remote
 * host can send the same text the local collector builds from the files it reads.
 */
import { parseInteger, type Parsed } from './text.ts';

/** One temperature reading. */
export interface Temperature {
  /**
   * A readable, unique sensor name (hw.id): the hwmon chip and label (`coretemp Package id 0`,
   * `k10temp Tctl`, `nvme Composite`), the chip and input when unlabelled (`acpitz temp1`), or the
   * thermal zone's type (`x86_pkg_temp`). Duplicates get the sysfs directory appended (`nvme Composite hwmon3`).
   */
  readonly sensor: string;
  readonly celsius: number;
}

interface HwmonInput {
  dir: string;
  input: string;
  label: string;
  milli: number | undefined;
}

/**
 * Parses `path:value` lines of thermal zone and hwmon files (other paths are ignored). Thermal zones
 * whose type names an hwmon chip also present (`acpitz`, `iwlwifi_1`: the kernel exports them both
 * ways) are left out, so a sensor is reported once. Order: hwmon inputs, then zones, as they appear.
 * Never throws; readings that are not integers are skipped and counted in `error`.
 */
export function parseThermal(text: string): Parsed<Temperature[]> {
  const zones = new Map<string, { type: string; milli: number | undefined }>();
  const inputs = new Map<string, HwmonInput>();
  const chips = new Map<string, string>();
  let bad = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    const slash = path.lastIndexOf('/');
    const file = path.slice(slash + 1);
    const dirPath = path.slice(0, slash);
    const dir = dirPath.slice(dirPath.lastIndexOf('/') + 1);
    if (dir.startsWith('thermal_zone')) {
      const zone = zones.get(dir) ?? { type: '', milli: undefined };
      zones.set(dir, zone);
      if (file === 'type') zone.type = value;
      else if (file === 'temp') {
        zone.milli = parseInteger(value);
        if (zone.milli === undefined) bad++;
      }
    } else if (dir.startsWith('hwmon')) {
      if (file === 'name') {
        chips.set(dir, value);
        continue;
      }
      if (!file.startsWith('temp')) continue;
      const under = file.indexOf('_');
      const kind = file.slice(under + 1);
      if (under < 0 || (kind !== 'input' && kind !== 'label')) continue;
      const input = file.slice(0, under);
      const key = `${dir}/${input}`;
      let entry = inputs.get(key);
      if (entry === undefined) {
        entry = { dir, input, label: '', milli: undefined };
        inputs.set(key, entry);
      }
      if (kind === 'label') entry.label = value;
      else {
        entry.milli = parseInteger(value);
        if (entry.milli === undefined) bad++;
      }
    }
  }
  const out: Temperature[] = [];
  const used = new Set<string>();
  const add = (name: string, dir: string, milli: number): void => {
    const sensor = used.has(name) ? `${name} ${dir}` : name;
    used.add(sensor);
    out.push({ sensor, celsius: milli / 1000 });
  };
  for (const e of inputs.values()) {
    if (e.milli === undefined) continue;
    const chip = chips.get(e.dir) ?? e.dir;
    add(`${chip} ${e.label !== '' ? e.label : e.input}`, e.dir, e.milli);
  }
  const chipNames = new Set(chips.values());
  for (const [dir, zone] of zones) {
    if (zone.milli === undefined || zone.type === '' || chipNames.has(zone.type)) continue;
    add(zone.type, dir, zone.milli);
  }
  return { value: out, error: bad > 0 ? `${bad} unreadable temperature(s)` : null };
}
