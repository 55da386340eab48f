/**
 * The HTML and Markdown renderers over the fixture report (test/support/report-fixture.ts): hostile
 * names only ever escaped, no script and no external URL, well-formed HTML, a page per host in print,
 * the same text whatever the machine's time zone, and empty reports that say so instead of empty
 * tables. No HTML parser is installed (parse5, htmlparser2, jsdom, linkedom: none), so well-formedness is
 * checked by a small tokenizer here (tags balanced, known tags and attributes only, quoted attribute
 * values, nothing unescaped in text); test/e2e/report-render.test.ts has Chromium parse the page too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Report } from '../../../shared/report.ts';
import { escapeHtml, escapeMarkdown, escapeMarkdownInline } from '../../../electron/core/reports/escape.ts';
import { REPORT_CSP, renderHtml } from '../../../electron/core/reports/html.ts';
import { renderMarkdown } from '../../../electron/core/reports/markdown.ts';
import { HOSTILE, emptyReportFixture, noDataHost, reportFixture } from '../../support/report-fixture.ts';

const VOID = new Set(['meta', 'br']);
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'p', 'h1',
  'h2', 'h3', 'dl', 'dt', 'dd', 'div', 'ul', 'li', 'span', 'strong', 'code', 'a', 'br', 'table', 'thead', 'tbody', 'tr', 'th',
  'td', 'svg', 'path', 'line', 'circle', 'text']);
const ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'href', 'role', 'scope',
  'aria-label', 'aria-labelledby', 'aria-hidden', 'viewBox', 'width', 'height', 'd', 'x', 'y', 'x1', 'x2', 'y1', 'y2',
  'cx', 'cy', 'r']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

interface Tag { name: string; attributes: Map<string, string> }

/**
 * Tokenizes `html` strictly and returns its start tags: throws on an unknown tag or attribute, an
 * unquoted or repeated attribute, an end tag that does not close the open element, an element left
 * open, a `<` or a bare `&` in text. Raw text of `style` and `title` is skipped (checked elsewhere).
 */
function parseStrict(html: string): Tag[] {
  const tags: Tag[] = [];
  const open: string[] = [];
  let i = 0;
  assert.ok(html.startsWith('<!doctype html>\n'), 'starts with the doctype');
  i = '<!doctype html>'.length;
  const text = (chunk: string) => {
    assert.ok(!chunk.includes('<'), `stray < in text: ${chunk.slice(0, 80)}`);
    for (const amp of chunk.matchAll(/&[^;\s]*;?/g)) {
      assert.match(amp[0], /^&(amp|lt|gt|quot|#39);$/, `bare or unknown entity ${amp[0]} in: ${chunk.slice(0, 80)}`);
    }
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    const end = /^<\/([a-z0-9]+)>/i.exec(html.slice(lt));
    if (end) {
      assert.equal(open.pop(), end[1], `</${end[1]}> closes the open element`);
      i = lt + end[0].length;
      continue;
    }
    const start = /^<([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*="[^"<]*")*)\s*(\/?)>/i.exec(html.slice(lt));
    assert.ok(start, `a well-formed tag at: ${html.slice(lt, lt + 80)}`);
    const [whole, name, attrs, selfClosing] = start;
    assert.ok(TAGS.has(name!), `known tag <${name}>`);
    const attributes = new Map<string, string>();
    for (const [, key, value] of attrs!.matchAll(/([a-z][a-z0-9-]*)="([^"]*)"/gi)) {
      assert.ok(ATTRIBUTES.has(key!), `known attribute ${key} on <${name}>`);
      assert.ok(!attributes.has(key!), `${key} once on <${name}>`);
      text(value!);
      attributes.set(key!, value!.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!));
    }
    tags.push({ name: name!, attributes });
    i = lt + whole.length;
    if (name === 'style' || name === 'title') {
      const close = html.indexOf(`</${name}>`, i);
      assert.ok(close > 0, `<${name}> is closed`);
      i = close + name.length + 3;
    } else if (!VOID.has(name!) && !selfClosing) {
      open.push(name!);
    }
  }
  assert.deepEqual(open, [], 'every element is closed');
  return tags;
}

function styleOf(html: string): string {
  return /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
}

/** The block of an at-rule whose prelude starts with `prelude`, braces balanced. */
function atRuleBlock(css: string, prelude: string): string {
  const at = css.indexOf(prelude);
  assert.ok(at >= 0, `${prelude} is in the style`);
  let depth = 0;
  for (let i = css.indexOf('{', at); i < css.length; i++) {
    if (css[i] === '{') depth++;
    if (css[i] === '}' && --depth === 0) return css.slice(css.indexOf('{', at) + 1, i);
  }
  throw new Error(`${prelude} is not closed`);
}

test('the fixture is a valid report document', () => {
  assert.doesNotThrow(() => Report.parse(reportFixture()));
  assert.doesNotThrow(() => Report.parse({ ...emptyReportFixture(), hosts: [noDataHost()] }));
});

test('the HTML is well-formed, with known tags and attributes only', () => {
  const html = renderHtml(reportFixture());
  const tags = parseStrict(html);
  assert.equal(tags.filter((t) => t.name === 'section' && t.attributes.get('class')?.startsWith('host ')).length, 3);
  const resources = reportFixture().hosts.reduce((n, h) => n + h.resources.length, 0);
  assert.equal(resources, 8 + 9 + 9);
  assert.equal(tags.filter((t) => t.name === 'svg' && t.attributes.get('class') === 'spark').length, resources, 'a chart per resource');
});

test('the HTML has no script, no event handler and makes no request', () => {
  const html = renderHtml(reportFixture());
  assert.doesNotMatch(html, /<script/i);
  const tags = parseStrict(html);
  for (const tag of tags) {
    for (const name of tag.attributes.keys()) assert.doesNotMatch(name, /^on/i, 'no event handler');
    assert.ok(!tag.attributes.has('src'), 'nothing is loaded');
    const href = tag.attributes.get('href');
    if (href !== undefined) assert.match(href, /^#host-\d+$/, 'links stay in the page');
  }
  assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i);
  assert.doesNotMatch(styleOf(html), /url\(|@import|https?:|\/\//i, 'the style loads nothing');
  const csp = tags.find((t) => t.attributes.get('http-equiv') === 'Content-Security-Policy');
  assert.equal(csp?.attributes.get('content'), REPORT_CSP);
  assert.equal(REPORT_CSP, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
});

test('every hostile string appears only escaped, and never in CSS, a tag, an attribute name or a URL', () => {
  const report = reportFixture();
  const html = renderHtml(report);
  for (const [what, value] of Object.entries(HOSTILE)) {
    if (/[<>"&']/.test(value)) assert.ok(!html.includes(value), `${what} is not raw in the HTML`);
  }
  for (const what of ['hostName', 'mount', 'rule', 'summary', 'address'] as const) {
    assert.ok(html.includes(escapeHtml(HOSTILE[what])), `${what} is shown, escaped`);
  }
  assert.ok(!html.includes(escapeHtml(HOSTILE.hostId)), 'ids are not shown');
  assert.equal(styleOf(html), styleOf(renderHtml(emptyReportFixture())), 'the style has nothing from the report');
  assert.equal((html.match(/onerror=alert\(1\)/g) ?? []).length, (html.match(/&lt;img src=x onerror=alert\(1\)&gt;/g) ?? []).length,
    'every occurrence of the hostile name is the escaped one');
});

test('the HTML says what the report says: header, verdicts, fleet, hosts, trends, alerts, recommendations', () => {
  const html = renderHtml(reportFixture());
  for (const text of [
    '<h1>Hostwatch health report</h1>',
    '2026-03-02 00:00 UTC – 2026-03-09 00:00 UTC (7 d)',
    'All times are in UTC',
    'Overall: <strong>Critical</strong>',
    '<th class="num">CPU p95</th>',
    'Data starts 2026-03-03 12:00 UTC, after the range starts',
    '1 (2026-03-05 03:12 UTC)',
    'Filesystem /var/lib/postgresql grows 1.2 GiB/day, full in ~9 days (2026-03-18 00:00 UTC).',
    'Filesystem / grows 20.0 MiB/day, not full within a year at this rate.',
    'still firing',
    '<span class="badge-icon" aria-hidden="true">✖</span>2 critical',
    'slope</dt><dd class="num">1.2 GiB/day</dd>',
    'max 100%',
    '<h3>Service checks</h3>',
    '<td class="num">99.92%</td>\n<td class="num">182 ms</td>\n<td class="num">431 ms</td>\n<td class="num">6 min (once)</td>',
  ]) assert.ok(html.includes(text), `has ${JSON.stringify(text)}`);
  assert.ok(html.indexOf('id="host-1-name">&lt;img') > 0, 'the critical host comes first');
  assert.ok(html.indexOf('Memory high') < html.indexOf('Host down'), 'noisiest rule first');
});

test('a chart leaves gaps where the host had no data', () => {
  const html = renderHtml(reportFixture());
  const cpu = /id="host-1"[\s\S]*?<th scope="row" class="wrap">CPU<\/th>[\s\S]*?<path class="spark-line" d="([^"]+)"/.exec(html);
  assert.ok(cpu, 'the critical host has a CPU chart');
  const runs = cpu[1]!.match(/M/g)!.length;
  assert.equal(runs, 2, 'two runs: the host was unreachable in between');
  const firstX = Number(/^M([\d.]+)/.exec(cpu[1]!)![1]);
  assert.ok(firstX > 30, `the line starts where the host's data starts, not at the left edge (x = ${firstX})`);
});

test('a filesystem chart has its trend line, rising when it grows; a steady value is labelled once', () => {
  const html = renderHtml(reportFixture());
  const row = /<th scope="row" class="wrap">Filesystem \/var\/lib\/postgresql<\/th>[\s\S]*?<\/tr>/.exec(html)![0];
  const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => Number(new RegExp(`class="spark-trend"[^>]* ${k}="([\\d.]+)"`).exec(row)![1]));
  assert.ok(x2! > x1! + 100 && y2! < y1! - 20, `rises across the chart: (${x1}, ${y1}) → (${x2}, ${y2})`);
  assert.match(row, /max 91%<\/text>/);
  const swap = /<th scope="row" class="wrap">Swap<\/th>[\s\S]*?<\/tr>/.exec(html)![0];
  assert.match(swap, />2\.0% throughout<\/text>/);
  assert.doesNotMatch(swap, /spark-trend/);
});

test('print: a page per host, light colours, tables not clipped', () => {
  const css = styleOf(renderHtml(reportFixture()));
  const print = atRuleBlock(css, '@media print');
  assert.match(print, /\.host\s*\{[^}]*break-before:\s*page/);
  assert.match(print, /body\s*\{[^}]*background:\s*#fff/);
  assert.match(print, /\.table-wrap\s*\{[^}]*overflow:\s*visible/);
  assert.match(css, /@media screen and \(prefers-color-scheme: dark\)/, 'the dark theme is for screens only');
  assert.doesNotMatch(css, /@media \(prefers-color-scheme: dark\)/);
});

test('the output does not depend on the time zone or locale, and is the same every time', () => {
  const before = process.env.TZ;
  try {
    process.env.TZ = 'UTC';
    const utc = [renderHtml(reportFixture()), renderMarkdown(reportFixture())];
    process.env.TZ = 'Pacific/Kiritimati';
    assert.deepEqual([renderHtml(reportFixture()), renderMarkdown(reportFixture())], utc);
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
});

test('an empty report says so, with no empty tables', () => {
  const html = renderHtml(emptyReportFixture());
  parseStrict(html);
  assert.doesNotMatch(html, /<table/);
  for (const text of ['No hosts in this report.', 'No alerts in this range.', 'No recommendations', 'Nothing needs attention in this range.', 'Hosts</dt><dd>none']) {
    assert.ok(html.includes(text), `HTML has ${text}`);
  }
  const md = renderMarkdown(emptyReportFixture());
  assert.doesNotMatch(md, /^\|/m);
  for (const text of ['No hosts in this report.', 'No alerts in this range.', 'No recommendations', 'Nothing needs attention in this range.', '**Hosts (0):** none']) {
    assert.ok(md.includes(text), `Markdown has ${text}`);
  }
});

test('a host without data says "No data in this range", with unknown figures, not zeros', () => {
  const report = { ...emptyReportFixture(), hosts: [noDataHost()] };
  const html = renderHtml(report);
  parseStrict(html);
  assert.ok(html.includes('<p class="note">No data in this range.</p>'));
  assert.doesNotMatch(html, /No resource figures/, 'said once is enough');
  assert.ok(html.includes('<dt>Availability</dt><dd class="num">—</dd>'));
  assert.doesNotMatch(html, /<svg class="spark"/);
  assert.ok(html.includes('<td class="num">—</td>'), 'the fleet row shows unknowns');
  assert.ok(html.includes('<dt>Reboots</dt><dd class="num">—</dd>'), 'no reboot could be seen: unknown, not none');
  const md = renderMarkdown(report);
  assert.ok(md.includes('> **No data in this range.**'));
  assert.ok(md.includes('**Availability:** —'));
});

test('a report without alerts says "No alerts in this range"', () => {
  const report = { ...reportFixture(), alerts: { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] } };
  const html = renderHtml(report);
  assert.ok(html.includes('<h2 id="alerts">Alerts</h2><p class="muted">No alerts in this range.</p>'));
  assert.doesNotMatch(html, /alert-list/);
  assert.ok(renderMarkdown(report).includes('## Alerts\n\nNo alerts in this range.'));
});

/** `line` with every backslash escape removed: what is left is markup. */
function markupOf(line: string): string {
  return line.replace(/\\[\s\S]/g, '');
}

test('Markdown: hostile strings only escaped; no HTML, links, code or emphasis from data', () => {
  const md = renderMarkdown(reportFixture());
  for (const [what, value] of Object.entries(HOSTILE)) {
    if (/[<>*_`[\]|&]/.test(value)) assert.ok(!md.includes(value), `${what} is not raw in the Markdown`);
  }
  assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>'));
  assert.ok(md.includes('Disk \\*almost\\* full \\| \\[click\\](http\\://evil.example) \\`rm -rf\\` \\_x\\_'));
  assert.ok(md.includes('/srv/"quotes" \\& \\<tags\\>'));
  for (const line of md.split('\n')) {
    const markup = markupOf(line);
    assert.doesNotMatch(markup, /[<`[\]&~$@]/, `no markup character left unescaped: ${line}`);
    assert.doesNotMatch(markup.replace(/^> /, ''), />/, `no > but a blockquote's: ${line}`);
    assert.doesNotMatch(markup.replace(/\*\*/g, ''), /\*/, `only the renderer's bold: ${line}`);
    assert.doesNotMatch(markup.replace(/^_|_$/g, ''), /_/, `only the footer's italics: ${line}`);
  }
  const headings = md.split('\n').filter((l) => l.startsWith('#'));
  assert.deepEqual(headings.map((h) => h.replace(/ .*/, '')), ['#', '##', '##', '##', '##', '##', '##', '##', '###', '###']);
  assert.ok(!/^# injected heading/m.test(md), 'a newline in data does not start a block');
});

test('Markdown tables have one cell per column on every row', () => {
  const md = renderMarkdown(reportFixture());
  const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
  assert.equal(tables.length, 1 + 3 + 2 + 2, 'fleet, a resource table per host, rules and every alert, the checks of two hosts');
  for (const table of tables) {
    const [head, ...rows] = table.split('\n').map((l) => markupOf(l).split('|').length);
    for (const cells of rows) assert.equal(cells, head, table.split('\n')[0]);
  }
});

test('Markdown says the same as the HTML: range, verdicts, trends, alerts, recommendations', () => {
  const md = renderMarkdown(reportFixture());
  for (const text of [
    '# Hostwatch health report',
    '- **Range:** 2026-03-02 00:00 UTC – 2026-03-09 00:00 UTC (7 d)',
    '## Overall: ✖ Critical',
    '## db-primary — ▲ Degraded',
    '> **Data starts 2026-03-03 12:00 UTC, after the range starts (added later, or not collected before).**',
    '- Filesystem /var/lib/postgresql grows 1.2 GiB/day, full in \\~9 days (2026-03-18 00:00 UTC).',
    '| Memory high | 4 | 1 |',
    '| still firing |',
    'slope: **1.2 GiB/day**',
    '| db-primary | ▲ Degraded | 100% | 4 min | 1 | 62% | 89% | /var/lib/postgresql 91% |',
    '| nginx | systemd unit | nginx.service | 100% | 21 ms | 34 ms | none | ✓ Up |',
  ]) assert.ok(md.includes(text), `has ${JSON.stringify(text)}`);
});

test('escapeMarkdownInline keeps any text literal: unescaping gives it back, one line, no markup left (property)', () => {
  const markupChars = fc.constantFrom(...'\\`*_~[]<>&|$@#-+=!():/.w\n\r 1'.split(''));
  const text = fc.oneof(fc.string(), fc.array(markupChars, { maxLength: 40 }).map((a) => a.join('')));
  fc.assert(fc.property(text, (s) => {
    const out = escapeMarkdownInline(s);
    assert.ok(!/[\r\n]/.test(out));
    assert.doesNotMatch(markupOf(out), /[\\`*_~[\]<>&|$@]/);
    assert.doesNotMatch(out, /(?<!\\):\/\/|www\./i);
    const expected = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD').replace(/\s*[\r\n]+\s*/g, ' ');
    assert.equal(out.replace(/\\([\s\S])/g, '$1'), expected);
  }));
});

test('escapeMarkdown also neutralises what would start a block', () => {
  assert.equal(escapeMarkdown('# title'), '\\# title');
  assert.equal(escapeMarkdown('- item'), '\\- item');
  assert.equal(escapeMarkdown('1. item'), '1\\. item');
  assert.equal(escapeMarkdown('    code'), 'code');
  assert.equal(escapeMarkdown('> quote'), '\\> quote');
  assert.equal(escapeMarkdownInline('heading #'), 'heading \\#');
  assert.equal(escapeMarkdownInline('see www.example.com or https://x.example'), 'see www\\.example.com or https\\://x.example');
});

test('escapeHtml escapes text and attribute specials, and control characters', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  assert.equal(escapeHtml('a\u0000b\u001bc\td\ne'), 'a\uFFFDb\uFFFDc\td\ne');
});

test('sections left out are not rendered, and the header says what was left out', () => {
  const full = reportFixture();
  const lean: Report = {
    ...full,
    sections: ['resources'],
    hosts: full.hosts.map((h) => ({ ...h, resources: h.resources.map((r) => ({ ...r, chart: [] })), checks: [] })),
    alerts: { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] },
    recommendations: [],
  };
  const page = renderHtml(lean);
  parseStrict(page);
  assert.ok(!page.includes('id="recommendations"') && !page.includes('id="alerts"'), 'no recommendations or alerts panel');
  assert.ok(!page.includes('Over the range') && !page.includes('<svg class="spark'), 'no chart column');
  assert.match(page, /Left out of this report on request: charts, service checks, alerts, recommendations\./);
  assert.ok(!page.includes('Service checks') && renderHtml(full).includes('<h3>Service checks</h3>'));
  assert.ok(renderHtml(full).includes('id="alerts"'));
  const md = renderMarkdown(lean);
  assert.ok(!md.includes('## Alerts') && !md.includes('## Recommendations'));
  assert.match(md, /Left out of this report on request: charts, service checks, alerts, recommendations\./);
  assert.match(md, /\| Resource \| Min \|/);

  const statusOnly: Report = { ...lean, sections: [], hosts: lean.hosts.map((h) => ({ ...h, resources: [] })) };
  const md2 = renderMarkdown(statusOnly);
  assert.match(md2, /on request: resources, service checks, alerts, recommendations\./, 'charts are not named twice');
  assert.ok(!md2.includes('| CPU p95 |') && md2.includes('| Reboots |'), 'the fleet table drops its resource columns');
  assert.ok(!renderHtml(statusOnly).includes('>CPU p95</th>'));
  assert.ok(renderHtml(full).includes('>CPU p95</th>'));
});
