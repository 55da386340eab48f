/**
 * OpenMetrics text (https://prometheus.io/docs/specs/om/open_metrics_spec/) for the store benchmark:
 * a writer of snapshots as sample lines, and a streaming reader that turns sample lines back into
 * snapshots, so the same data can be fed to Hostwatch and to other stores (promtool tsdb
 * create-blocks-from openmetrics).
 *
 * Lines are `name{label="value",...} value timestamp`. Names outside Prometheus's classic character set
 * (Hostwatch's dotted OpenTelemetry names) are written in the quoted UTF-8 form of OpenMetrics 2.0 and
 * Prometheus 3: `{"system.cpu.utilization","cpu.logical_number"="0"} 0.25 1741000000.123`. The host is the
 * `instance` label. Timestamps are seconds with millisecond decimals.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Sample, Snapshot } from '../../../shared/api.ts';
import type { Attributes } from '../../../shared/metrics.ts';
import type { SeriesDef } from './workload.ts';

const CLASSIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const CLASSIC_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `s` as the inside of an OpenMetrics quoted string: backslash, double quote and newline escaped. */
function escape(s: string): string {
  return s.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A label or metric name: bare when classic, else quoted. */
function quoteName(name: string, classic: RegExp): string {
  return classic.test(name) ? name : `"${escape(name)}"`;
}

/** A value as Go's ParseFloat (Prometheus) reads it. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Writes snapshots to an OpenMetrics file, buffered. `prometheusNames`: write `.` in metric and label names
 * as `_` (for tools that only read classic names; the names then no longer match Hostwatch's catalog).
 */
export class OpenMetricsWriter {
  readonly #fd: number;
  readonly #prometheusNames: boolean;
  /** Per series (metric, attributes object): its line prefix, built once. */
  readonly #prefixes = new Map<string, WeakMap<Attributes, string>>();
  #chunks: string[] = [];
  #pending = 0;
  samples = 0;

  constructor(file: string, options: { prometheusNames?: boolean } = {}) {
    this.#fd = fs.openSync(file, 'w');
    this.#prometheusNames = options.prometheusNames ?? false;
  }

  /** Appends every finite sample of `snapshot` as a line. */
  write(snapshot: Snapshot): void {
    const ts = ` ${(snapshot.time / 1000).toFixed(3)}\n`;
    for (const s of snapshot.samples) {
      if (!Number.isFinite(s.value)) continue;
      this.#chunks.push(this.#prefix(snapshot.host, s), formatValue(s.value), ts);
      this.samples++;
    }
    this.#pending += snapshot.samples.length;
    if (this.#pending >= 50_000) this.#drain();
  }

  /** Writes `# EOF` and closes the file. */
  close(): void {
    this.#chunks.push('# EOF\n');
    this.#drain();
    fs.closeSync(this.#fd);
  }

  #drain(): void {
    fs.writeSync(this.#fd, this.#chunks.join(''));
    this.#chunks = [];
    this.#pending = 0;
  }

  #prefix(host: string, s: Sample): string {
    const key = `${host}\0${s.metric}`;
    let byAttributes = this.#prefixes.get(key);
    if (!byAttributes) this.#prefixes.set(key, (byAttributes = new WeakMap()));
    let prefix = byAttributes.get(s.attributes);
    if (prefix === undefined) {
      const rename = (n: string) => (this.#prometheusNames ? n.replace(/[^a-zA-Z0-9_:]/g, '_') : n);
      const name = rename(s.metric);
      const labels = [`instance="${escape(host)}"`];
      for (const k of Object.keys(s.attributes).sort()) {
        labels.push(`${quoteName(rename(k), CLASSIC_LABEL)}="${escape(s.attributes[k]!)}"`);
      }
      prefix = CLASSIC_NAME.test(name)
        ? `${name}{${labels.join(',')}} `
        : `{${quoteName(name, CLASSIC_NAME)},${labels.join(',')}} `;
      byAttributes.set(s.attributes, prefix);
    }
    return prefix;
  }
}

/** A malformed line: says which and why. */
export class OpenMetricsError extends Error {
  constructor(file: string, line: number, reason: string, text: string) {
    super(`${file}:${line}: ${reason}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
  }
}

/** One parsed sample line. `series` is shared by every line of the same series. */
export interface ParsedLine {
  series: ParsedSeries;
  value: number;
  /** ms since epoch. */
  time: number;
}

export interface ParsedSeries {
  host: string;
  metric: string;
  attributes: Attributes;
}

/** Host given to lines with neither a `host` nor an `instance` label. */
export const DEFAULT_HOST = 'default';

/** Lines of `file`, read in large blocks (sync: a 35-million-line file takes seconds, not minutes). */
function* lines(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 22);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        yield text.charCodeAt(i - 1) === 13 ? text.slice(start, i - 1) : text.slice(start, i);
        start = i + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the sample lines of an OpenMetrics (or Prometheus text) file, streaming. `# TYPE`, `# HELP`,
 * `# UNIT` and other comments are skipped; `# EOF` ends the file. The `host` label, else `instance`, is
 * the host; the other labels are the attributes; names are kept as they are. Timestamps are seconds
 * (decimals allowed), or integer ms when larger than 10^11 (no date in seconds is). Exemplars are
 * ignored. Throws an OpenMetricsError naming the line on anything else, or a line without timestamp.
 */
export function* readOpenMetrics(file: string): Generator<ParsedLine> {
  const cache = new Map<string, ParsedSeries>();
  let n = 0;
  for (const line of lines(file)) {
    n++;
    if (line.length === 0) continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line === '# EOF') return;
      continue;
    }
    const end = seriesEnd(line, file, n);
    const head = line.slice(0, end);
    let series = cache.get(head);
    if (series === undefined) {
      series = parseSeries(head, file, n, line);
      cache.set(head, series);
    }
    // After the series: value, timestamp, and maybe ` # {exemplar} ...`.
    let rest = line.slice(end).trim();
    const hash = rest.indexOf('#');
    if (hash !== -1) rest = rest.slice(0, hash).trim();
    const parts = rest.split(/\s+/);
    if (parts.length !== 2) {
      throw new OpenMetricsError(file, n, parts.length < 2 ? 'expected a value and a timestamp' : 'unexpected text after the timestamp', line);
    }
    const value = parseNumber(parts[0]!);
    if (value === undefined) throw new OpenMetricsError(file, n, `bad value "${parts[0]}"`, line);
    const ts = Number(parts[1]);
    if (!Number.isFinite(ts) || parts[1]!.trim() === '') throw new OpenMetricsError(file, n, `bad timestamp "${parts[1]}"`, line);
    const time = Number.isInteger(ts) && Math.abs(ts) > 1e11 ? ts : Math.round(ts * 1000);
    yield { series, value, time };
  }
}

function parseNumber(s: string): number | undefined {
  switch (s) {
    case 'NaN': return Number.NaN;
    case '+Inf': case 'Inf': return Infinity;
    case '-Inf': return -Infinity;
  }
  const v = Number(s);
  return s.length === 0 || Number.isNaN(v) ? undefined : v;
}

/** Index just past the series part of a sample line: after `}` when it has braces, else after the name. */
function seriesEnd(line: string, file: string, n: number): number {
  const brace = line.indexOf('{');
  const space = line.search(/\s/);
  if (brace === -1 || (space !== -1 && space < brace)) {
    if (space === -1) throw new OpenMetricsError(file, n, 'expected a value after the metric name', line);
    return space;
  }
  let quoted = false;
  for (let i = brace + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 125 /* } */) return i + 1;
  }
  throw new OpenMetricsError(file, n, quoted ? 'unterminated quoted string' : 'missing "}"', line);
}

/** Parses `name{labels}`, `{"name",labels}` or `name` into host, metric and attributes. */
function parseSeries(head: string, file: string, n: number, line: string): ParsedSeries {
  const fail = (reason: string): never => {
    throw new OpenMetricsError(file, n, reason, line);
  };
  const brace = head.indexOf('{');
  let metric = brace === -1 ? head : head.slice(0, brace).trim();
  // No prototype: a label may be called anything, `__proto__` included.
  const labels: Record<string, string> = Object.create(null);
  if (brace !== -1) {
    let i = brace + 1;
    const skipSpace = () => {
      while (i < head.length && (head[i] === ' ' || head[i] === '\t')) i++;
    };
    const readQuoted = (): string => {
      // head[i] is the opening quote.
      let out = '';
      for (i++; i < head.length; i++) {
        const c = head[i]!;
        if (c === '"') {
          i++;
          return out;
        }
        if (c === '\\') {
          const e = head[++i];
          if (e === 'n') out += '\n';
          else if (e === '\\' || e === '"') out += e;
          else fail(`bad escape "\\${e ?? ''}" in a quoted string`);
        } else out += c;
      }
      return fail('unterminated quoted string');
    };
    const readName = (): string => {
      const start = i;
      while (i < head.length && /[a-zA-Z0-9_:.]/.test(head[i]!)) i++;
      if (i === start) fail(`expected a label name at column ${i + 1}`);
      return head.slice(start, i);
    };
    for (;;) {
      skipSpace();
      if (head[i] === '}') break;
      const name = head[i] === '"' ? readQuoted() : readName();
      skipSpace();
      if (head[i] === '=') {
        i++;
        skipSpace();
        if (head[i] !== '"') fail(`expected a quoted value for label "${name}"`);
        const value = readQuoted();
        if (name in labels) fail(`label "${name}" given twice`);
        labels[name] = value;
      } else if (metric === '' && (head[i] === ',' || head[i] === '}')) {
        metric = name; // {"quoted.name", ...}
      } else {
        fail(`expected "=" after label "${name}"`);
      }
      skipSpace();
      if (head[i] === ',') i++;
      else if (head[i] !== '}') fail(`expected "," or "}" at column ${i + 1}`);
    }
  }
  if (metric === '') fail('missing metric name');
  const host = labels.host ?? labels.instance ?? DEFAULT_HOST;
  if ('host' in labels) delete labels.host;
  else delete labels.instance;
  return { host, metric, attributes: Object.freeze(labels) };
}

/** Facts from a first pass over a file: enough to plan the run. */
export interface FileScan {
  samples: number;
  from: number;
  to: number;
  /** Series per host, in order of first appearance. */
  series: Map<string, SeriesDef[]>;
  /** True when the timestamps never decrease from line to line (then it can be streamed). */
  ordered: boolean;
}

/** Reads the whole file once: counts, time range, series, and whether it is in time order. */
export function scanOpenMetrics(file: string): FileScan {
  const seen = new Set<ParsedSeries>();
  const series = new Map<string, SeriesDef[]>();
  let samples = 0;
  let from = Infinity;
  let to = -Infinity;
  let ordered = true;
  let last = -Infinity;
  for (const line of readOpenMetrics(file)) {
    samples++;
    if (line.time < last) ordered = false;
    last = line.time;
    if (line.time < from) from = line.time;
    if (line.time > to) to = line.time;
    if (!seen.has(line.series)) {
      seen.add(line.series);
      let list = series.get(line.series.host);
      if (!list) series.set(line.series.host, (list = []));
      list.push({ metric: line.series.metric, attributes: line.series.attributes });
    }
  }
  return { samples, from, to, series, ordered };
}

/**
 * The file's samples as snapshots in time order: one per host and timestamp. A file in time order is
 * streamed; any other (e.g. a series-by-series dump) is loaded into typed arrays (24 B a sample) and
 * sorted first. `until` (ms, exclusive) stops early.
 */
export function* openMetricsSnapshots(file: string, scan: FileScan, until = Infinity): Generator<Snapshot> {
  if (scan.ordered) {
    yield* group(readOpenMetrics(file), until);
    return;
  }
  const series: ParsedSeries[] = [];
  const index = new Map<ParsedSeries, number>();
  const times = new Float64Array(scan.samples);
  const values = new Float64Array(scan.samples);
  const ids = new Uint32Array(scan.samples);
  let n = 0;
  for (const line of readOpenMetrics(file)) {
    let id = index.get(line.series);
    if (id === undefined) {
      id = series.length;
      series.push(line.series);
      index.set(line.series, id);
    }
    times[n] = line.time;
    values[n] = line.value;
    ids[n] = id;
    n++;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => times[a]! - times[b]! || a - b);
  yield* group((function* () {
    for (const i of order) yield { series: series[ids[i]!]!, value: values[i]!, time: times[i]! };
  })(), until);
}

/** Groups time-ordered lines into one snapshot per host and timestamp. */
function* group(source: Iterable<ParsedLine>, until: number): Generator<Snapshot> {
  let time = Number.NaN;
  let pending = new Map<string, Sample[]>();
  const emit = function* (): Generator<Snapshot> {
    for (const [host, samples] of pending) yield { host, time, samples, errors: [] };
    pending = new Map();
  };
  for (const line of source) {
    if (line.time >= until) break;
    if (line.time !== time) {
      yield* emit();
      time = line.time;
    }
    let samples = pending.get(line.series.host);
    if (!samples) pending.set(line.series.host, (samples = []));
    samples.push({ metric: line.series.metric, attributes: line.series.attributes, value: line.value });
  }
  yield* emit();
}
