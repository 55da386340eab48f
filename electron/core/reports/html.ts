/**
 * A report as one self-contained HTML file: inline CSS and SVG, no script, no request of any kind (a
 * CSP meta says so to the browser too), light and dark themes from the OS, and a print style with a page
 * per host. It looks like the app: the same palette, badges and tables, and never colour alone.
 *
 * Markup is built with the `html` tag (escape.ts), which escapes every interpolated value: strings from
 * the report appear only as text or in double-quoted attribute values.
 */
import { formatAvailability, formatDuration } from '../../../shared/format.ts';
import type { HostReport, Recommendation, Report, ReportAlert, ReportCheck, ResourceSummary, Verdict } from '../../../shared/report.ts';
import {
  SEVERITIES, UNKNOWN, alertsByStart, checkDownText, checkStateLook, coverageNote, latencyOrUnknown, durationOrUnknown, figureText, fleetRow, formatFigure, formatRange,
  formatTime, hostAlertCount, hostName, hostsWorstFirst, includes, leftOutNote, percentOrUnknown, rebootsText, recommendationsBySeverity,
  resolvedAt, rulesNoisiestFirst, severityLook, statusLook, trendSentence,
} from './content.ts';
import type { Look } from './content.ts';
import { SafeHtml, html } from './escape.ts';
import { sparkline } from './svg.ts';

/**
 * What a report page may do: nothing but its own inline styles (and data: images, of which it has none).
 * Written into the page as is (a constant without `"`), so it reads as written.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * The report as a complete HTML document (UTF-8). Deterministic: the same report gives the same bytes,
 * whatever the machine's locale or time zone (all times are shown in UTC).
 */
export function renderHtml(report: Report): string {
  const hosts = hostsWorstFirst(report);
  const anchors = new Map(hosts.map((h, i) => [h, `host-${i + 1}`]));
  const body = html`<main class="report">
${header(report)}
${overall(report.verdict)}
${fleet(hosts, anchors, includes(report, 'resources'))}
${includes(report, 'recommendations') ? recommendations(report) : ''}
${hosts.map((h) => hostSection(report, h, anchors.get(h)!))}
${includes(report, 'alerts') ? alerts(report) : ''}
<footer class="report-foot muted small">Hostwatch ${report.hostwatchVersion} · report schema ${report.schema} v${report.version} · generated ${formatTime(report.generatedAt)}</footer>
</main>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Hostwatch health report, ${formatTime(report.from)} – ${formatTime(report.to)}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}

function badge(look: Look, text = look.word): SafeHtml {
  return html`<span class="badge tone-${look.tone}"><span class="badge-icon" aria-hidden="true">${look.icon}</span>${text}</span>`;
}

function header(report: Report): SafeHtml {
  const names = report.hosts.map((h) => h.name);
  const hosts = names.length === 0 ? 'none' : `${names.length}: ${names.join(', ')}`;
  const leftOut = leftOutNote(report);
  return html`<header class="report-head">
<p class="brand"><svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true"><path d="M2 13h4l3-8 4 14 3-9 2 3h4"/></svg>Hostwatch</p>
<h1>Hostwatch health report</h1>
<dl class="meta">
<div><dt>Range</dt><dd class="num">${formatRange(report)}</dd></div>
<div><dt>Generated</dt><dd class="num">${formatTime(report.generatedAt)}</dd></div>
<div><dt>Hostwatch</dt><dd class="num">${report.hostwatchVersion}</dd></div>
<div class="hosts"><dt>Hosts</dt><dd>${hosts}</dd></div>
</dl>
<p class="muted small">All times are in UTC (Coordinated Universal Time). Averages and p95 are over ${formatDuration(report.bucketSeconds)} averages; min and max are single samples.</p>
${leftOut === null ? '' : html`<p class="muted small">${leftOut}.</p>`}
</header>`;
}

function reasons(verdict: Verdict, calm: string): SafeHtml {
  if (verdict.reasons.length === 0) return html`<p class="calm">${calm}</p>`;
  return html`<ul class="reasons">${verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>`;
}

function overall(verdict: Verdict): SafeHtml {
  const look = statusLook(verdict.status);
  return html`<section class="verdict tone-${look.tone}" aria-labelledby="overall">
<div class="verdict-icon" aria-hidden="true">${look.icon}</div>
<div class="verdict-body">
<h2 id="overall">Overall: <strong>${look.word}</strong></h2>
${reasons(verdict, 'Nothing needs attention in this range.')}
</div>
</section>`;
}

function recommendations(report: Report): SafeHtml {
  const items = recommendationsBySeverity(report);
  const content = items.length === 0
    ? html`<p class="muted">No recommendations: nothing in this range calls for action.</p>`
    : html`<ul class="recs">${items.map((r) => recommendation(report, r))}</ul>`;
  return html`<section class="panel" aria-labelledby="recommendations">
<h2 id="recommendations">Recommendations</h2>
${content}
</section>`;
}

function recommendation(report: Report, rec: Recommendation): SafeHtml {
  const figures = Object.entries(rec.figures).map(([name, value]) => figureText(name, value));
  return html`<li class="rec edge-${severityLook(rec.severity).tone}">
<div class="rec-head">${badge(severityLook(rec.severity))}<span class="rec-host">${rec.host === null ? 'Fleet' : hostName(report, rec.host)}</span></div>
<p class="rec-message">${rec.message}</p>
${figures.length === 0 ? '' : html`<dl class="figures">${figures.map((f) => html`<div><dt>${f.label}</dt><dd class="num">${f.value}</dd></div>`)}</dl>`}
</li>`;
}

/** The fleet table; its resource columns only when the report has resources. */
function fleet(hosts: HostReport[], anchors: Map<HostReport, string>, resources: boolean): SafeHtml {
  if (hosts.length === 0) {
    return html`<section class="panel" aria-labelledby="fleet"><h2 id="fleet">Fleet</h2><p class="muted">No hosts in this report.</p></section>`;
  }
  const rows = hosts.map((h) => {
    const row = fleetRow(h);
    return html`<tr>
<td class="name"><a href="#${anchors.get(h)!}">${h.name}</a></td>
<td>${badge(statusLook(h.verdict.status))}</td>
<td class="num">${row.availability}</td>
<td class="num">${row.unreachable}</td>
<td class="num">${row.reboots}</td>
${resources ? html`<td class="num">${row.cpuP95}</td>
<td class="num">${row.memoryAvg}</td>
<td class="wrap">${row.fullestFilesystem}</td>` : ''}
</tr>`;
  });
  return html`<section class="panel" aria-labelledby="fleet">
<h2 id="fleet">Fleet</h2>
<div class="table-wrap"><table class="table">
<thead><tr><th>Host</th><th>Status</th><th class="num">Availability</th><th class="num">Unreachable</th><th class="num">Reboots</th>${resources ? html`<th class="num">CPU p95</th><th class="num">Memory avg</th><th>Fullest filesystem</th>` : ''}</tr></thead>
<tbody>${rows}</tbody>
</table></div>
</section>`;
}

function hostSection(report: Report, host: HostReport, anchor: string): SafeHtml {
  const look = statusLook(host.verdict.status);
  const where = host.kind === 'local' ? 'this machine' : host.address === null ? 'SSH' : `SSH · ${host.address}`;
  const coverage = coverageNote(host, report);
  const trends = host.resources.map((r) => trendSentence(r, report.to)).filter((s) => s !== null);
  return html`<section class="host panel edge-${look.tone}" id="${anchor}" aria-labelledby="${anchor}-name">
<div class="host-head"><h2 id="${anchor}-name">${host.name}</h2>${badge(look)}<span class="muted small">${where}</span></div>
${reasons(host.verdict, 'Nothing needs attention.')}
${coverage === null ? '' : html`<p class="note">${coverage}.</p>`}
<dl class="facts">
<div><dt>Availability</dt><dd class="num">${percentOrUnknown(host.availability)}</dd></div>
<div><dt>Unreachable</dt><dd class="num">${durationOrUnknown(host.unreachableSeconds)}</dd></div>
<div><dt>Uptime at end</dt><dd class="num">${durationOrUnknown(host.uptimeSeconds)}</dd></div>
<div><dt>Reboots</dt><dd class="num">${rebootsText(host)}</dd></div>
${includes(report, 'alerts') ? html`<div><dt>Alerts</dt><dd class="num">${hostAlertCount(report, host)}</dd></div>` : ''}
</dl>
${host.dataFrom === null || !includes(report, 'resources') ? '' : resourceTable(report, host.resources)}
${trends.length === 0 ? '' : html`<h3>Trends</h3><ul class="trends">${trends.map((t) => html`<li>${t}.</li>`)}</ul>`}
${includes(report, 'checks') && host.checks.length > 0 ? checkTable(host.checks) : ''}
</section>`;
}

/** The host's service checks: availability, run times, time down, state at the end. */
function checkTable(checks: ReportCheck[]): SafeHtml {
  const rows = checks.map((c) => {
    const look = checkStateLook(c.state);
    return html`<tr>
<th scope="row" class="wrap">${c.name}<br><span class="muted small">${c.typeLabel} · <code>${c.target}</code></span></th>
<td class="num">${c.availability === null ? UNKNOWN : formatAvailability(c.availability)}</td>
<td class="num">${latencyOrUnknown(c.latencyP50Seconds)}</td>
<td class="num">${latencyOrUnknown(c.latencyP95Seconds)}</td>
<td class="num">${checkDownText(c)}</td>
<td>${look === null ? html`<span class="muted">—</span>` : badge(look)}</td>
</tr>`;
  });
  return html`<h3>Service checks</h3>
<div class="table-wrap"><table class="table checks">
<thead><tr><th>Check</th><th class="num">Up</th><th class="num">Run time p50</th><th class="num">p95</th><th class="num">Down</th><th>At the end</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

/** The resources of a host with data (without any, the coverage note has said so). */
function resourceTable(report: Report, resources: ResourceSummary[]): SafeHtml {
  if (resources.every((r) => r.avg === null && r.chart.length === 0)) return html`<p class="muted">No resource figures in this range.</p>`;
  const charts = includes(report, 'charts');
  const rows = resources.map((r) => html`<tr>
<th scope="row" class="wrap">${r.label}</th>
<td class="num">${formatFigure(r.min, r.unit)}</td>
<td class="num">${formatFigure(r.avg, r.unit)}</td>
<td class="num">${formatFigure(r.p95, r.unit)}</td>
<td class="num">${formatFigure(r.max, r.unit)}</td>
${charts ? html`<td class="chart">${sparkline(r, report.from, report.to)}</td>` : ''}
</tr>`);
  return html`<div class="table-wrap"><table class="table resources">
<thead><tr><th>Resource</th><th class="num">Min</th><th class="num">Avg</th><th class="num">p95</th><th class="num">Max</th>${charts ? html`<th>Over the range</th>` : ''}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function alerts(report: Report): SafeHtml {
  const items = alertsByStart(report);
  if (items.length === 0) {
    return html`<section class="panel alerts" aria-labelledby="alerts"><h2 id="alerts">Alerts</h2><p class="muted">No alerts in this range.</p></section>`;
  }
  const counts = SEVERITIES.map((s) => badge(severityLook(s), `${report.alerts.bySeverity[s]} ${s}`));
  const rules = rulesNoisiestFirst(report).map((r) => html`<tr><td class="wrap rule-name">${r.rule}</td><td class="num">${r.count}</td><td class="num">${r.hosts}</td></tr>`);
  return html`<section class="panel alerts" aria-labelledby="alerts">
<h2 id="alerts">Alerts</h2>
<p class="counts">${counts}</p>
<h3>By rule, noisiest first</h3>
<div class="table-wrap"><table class="table by-rule">
<thead><tr><th>Rule</th><th class="num">Firings</th><th class="num">Hosts</th></tr></thead>
<tbody>${rules}</tbody>
</table></div>
<h3>Every alert</h3>
<div class="table-wrap"><table class="table alert-list">
<thead><tr><th>Severity</th><th>Rule</th><th>Host</th><th class="num">Value</th><th>Started</th><th class="num">Duration</th><th>Resolved</th></tr></thead>
<tbody>${items.map(alertRow)}</tbody>
</table></div>
</section>`;
}

/** A time in a table: `2026-03-04 14:05 UTC` that may wrap between the date and the time, and nowhere else. */
function cellTime(ms: number): SafeHtml {
  const text = formatTime(ms);
  return html`<span class="nowrap">${text.slice(0, 10)}</span> <span class="nowrap">${text.slice(11)}</span>`;
}

function alertRow(alert: ReportAlert): SafeHtml {
  const resolved = resolvedAt(alert);
  return html`<tr>
<td>${badge(severityLook(alert.severity))}</td>
<td class="wrap"><span class="rule-name">${alert.rule}</span><br><span class="muted small">${alert.summary}</span></td>
<td class="wrap">${alert.hostName}</td>
<td class="num">${formatFigure(alert.value, alert.unit)}<br><span class="muted small">threshold ${formatFigure(alert.threshold, alert.unit)}</span></td>
<td class="time">${cellTime(alert.startedAt)}</td>
<td class="num">${formatDuration(alert.durationSeconds)}</td>
<td class="time">${resolved === null ? html`<span class="firing">still firing</span>` : cellTime(resolved)}</td>
</tr>`;
}

/** The app's palette and components (renderer/src/styles.css), cut down to what a report uses. */
const STYLE = `
:root {
  color-scheme: light;
  --bg: #f5f6f8; --surface: #ffffff; --surface-2: #eef1f4; --border: #d5dae0;
  --text: #1b1f24; --text-muted: #57606a; --link: #0a58c2;
  --ok: #1a7f37; --warning: #b07800; --critical: #cf222e; --info: #0969da;
  --ok-text: #116329; --warning-text: #7a4b00; --critical-text: #a40e26; --info-text: #0550ae;
  --ok-bg: #dcf5e3; --warning-bg: #fff3c4; --critical-bg: #ffe5e3; --info-bg: #ddeeff;
  --grid: #d5dae0; --series-1: #7c4dd6; --series-2: #c0307f;
  --radius: 8px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", sans-serif;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    color-scheme: dark;
    --bg: #0e1116; --surface: #161b22; --surface-2: #1f252e; --border: #313842;
    --text: #e6edf3; --text-muted: #9ba3ad; --link: #6cb0ff;
    --ok: #3fb950; --warning: #d29922; --critical: #f85149; --info: #4493f8;
    --ok-text: #5bd375; --warning-text: #e8b93d; --critical-text: #ff8a80; --info-text: #7cb8ff;
    --ok-bg: rgb(46 160 67 / 16%); --warning-bg: rgb(210 153 34 / 17%); --critical-bg: rgb(248 81 73 / 17%);
    --info-bg: rgb(68 147 248 / 17%);
    --grid: #3a424d; --series-1: #a98bf5; --series-2: #e36aae;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; }
body { background: var(--bg); color: var(--text); font: 14px/1.45 var(--font); -webkit-font-smoothing: antialiased; }
h1, h2, h3 { margin: 0; line-height: 1.25; }
h1 { font-size: 1.6rem; font-weight: 650; }
h2 { font-size: 1.1rem; font-weight: 600; }
h3 { font-size: 0.95rem; font-weight: 600; margin: 16px 0 6px; }
p { margin: 0.4em 0; }
a { color: var(--link); }
.num, table, .meta, .facts { font-variant-numeric: tabular-nums; }
.muted { color: var(--text-muted); }
.small { font-size: 0.85em; }
.calm { color: var(--ok-text); font-weight: 550; }

/* Block layout, not flex, for what may break across printed pages: Chromium fragments blocks reliably. */
.report { max-width: 1120px; margin: 0 auto; padding: 24px 24px 40px; }
.report > * + * { margin-top: 16px; }
.report-head { display: flex; flex-direction: column; gap: 6px; }
.brand { display: inline-flex; align-items: center; gap: 8px; margin: 0; font-weight: 700; color: var(--text-muted); }
.brand-mark { width: 20px; height: 20px; fill: none; stroke: var(--series-1); stroke-width: 2.2; stroke-linecap: round; stroke-linejoin: round; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 6px 0 0; }
.meta dt, .facts dt { font-size: 0.78rem; font-weight: 600; color: var(--text-muted); text-transform: uppercase; letter-spacing: 0.03em; }
.meta dd, .facts dd { margin: 0; overflow-wrap: anywhere; }
.meta > .hosts { flex-basis: 100%; }

.panel { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; }
.panel > h2 { margin-bottom: 8px; }
.edge-ok { border-left: 4px solid var(--ok); }
.edge-warning { border-left: 4px solid var(--warning); }
.edge-critical { border-left: 4px solid var(--critical); }
.edge-info { border-left: 4px solid var(--info); }

.badge { display: inline-flex; align-items: center; gap: 5px; padding: 2px 9px; border-radius: 999px; font-size: 0.82rem; font-weight: 600; white-space: nowrap; }
.badge-icon { font-size: 0.85em; line-height: 1; }
.tone-ok.badge { background: var(--ok-bg); color: var(--ok-text); }
.tone-warning.badge { background: var(--warning-bg); color: var(--warning-text); }
.tone-critical.badge { background: var(--critical-bg); color: var(--critical-text); }
.tone-info.badge { background: var(--info-bg); color: var(--info-text); }

.verdict { display: flex; gap: 14px; padding: 14px 18px; border-radius: var(--radius); border: 1px solid var(--border); border-left: 6px solid var(--ok); background: var(--ok-bg); }
.verdict.tone-warning { border-left-color: var(--warning); background: var(--warning-bg); }
.verdict.tone-critical { border-left-color: var(--critical); background: var(--critical-bg); }
.verdict-icon { font-size: 1.6rem; line-height: 1.1; font-weight: 700; color: var(--ok-text); }
.verdict h2 { font-size: 1.3rem; }
.verdict.tone-warning .verdict-icon, .verdict.tone-warning h2 strong { color: var(--warning-text); }
.verdict.tone-critical .verdict-icon, .verdict.tone-critical h2 strong { color: var(--critical-text); }
.verdict.tone-ok h2 strong { color: var(--ok-text); }
.verdict-body { min-width: 0; }
.reasons { margin: 6px 0 0; padding-left: 20px; overflow-wrap: anywhere; }
.reasons li + li { margin-top: 2px; }

.recs { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.rec { padding: 8px 12px; border: 1px solid var(--border); border-radius: 6px; background: var(--surface); break-inside: avoid; }
.rec-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.rec-host { font-weight: 600; overflow-wrap: anywhere; }
.rec-message { margin: 4px 0; overflow-wrap: anywhere; }
.figures { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0; font-size: 0.88rem; }
.figures > div { display: flex; gap: 6px; }
.figures dt { color: var(--text-muted); }
.figures dd { margin: 0; font-weight: 600; }

.table-wrap { overflow-x: auto; }
.table { width: 100%; border-collapse: collapse; }
.table th, .table td { padding: 6px 10px; text-align: left; border-bottom: 1px solid var(--border); vertical-align: middle; }
.table thead th { font-size: 0.78rem; font-weight: 600; color: var(--text-muted); text-transform: uppercase; letter-spacing: 0.03em; }
.table tbody th { font-weight: 600; }
.table tbody tr:last-child > * { border-bottom: none; }
.table .num { text-align: right; white-space: nowrap; }
.table .wrap, .table .name { overflow-wrap: anywhere; min-width: 6em; }
.table .name { font-weight: 600; }
.table .name a { color: inherit; }
.nowrap, .table .time { white-space: nowrap; }
.firing { font-weight: 600; color: var(--critical-text); white-space: nowrap; }
.table td.chart { width: 1%; padding-top: 2px; padding-bottom: 2px; }
.rule-name { font-weight: 600; }
.counts { display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 4px; }

.host > * + * { margin-top: 8px; }
.host-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.host-head h2 { overflow-wrap: anywhere; min-width: 0; }
.host .reasons { margin-bottom: 0; }
.host h3 { margin-bottom: 0; }
.note { margin-bottom: 0; padding: 6px 10px; border-radius: 6px; background: var(--info-bg); color: var(--info-text); font-weight: 550; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin-bottom: 0; }
.trends { margin-bottom: 0; padding-left: 20px; overflow-wrap: anywhere; }

.spark { display: block; overflow: visible; }
.spark-line { fill: none; stroke: var(--series-1); stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
.spark-dot { fill: var(--series-1); }
.spark-edge { stroke: var(--grid); stroke-width: 1; stroke-dasharray: 2 3; }
.spark-trend { stroke: var(--series-2); stroke-width: 1.3; stroke-dasharray: 5 3; }
.spark-label { fill: var(--text-muted); font-size: 10.5px; font-family: var(--font); }

.report-foot { text-align: center; }

/* A narrow window: tighter tables before they have to scroll. */
@media (max-width: 1000px) {
  .report { padding: 16px 12px 32px; }
  .table th, .table td { padding: 5px 6px; }
  .table thead th { letter-spacing: 0; }
}

@media print {
  @page { margin: 14mm 12mm; }
  /* rem-sized headings and labels shrink with the text. */
  html { font-size: 9.5pt; }
  body { background: #fff; font-size: 1rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .report { max-width: none; padding: 0; }
  .report > * + * { margin-top: 12px; }
  .table-wrap { overflow: visible; }
  .panel { box-decoration-break: clone; -webkit-box-decoration-break: clone; }
  .table thead { display: table-header-group; }
  .table tr, .verdict, .rec, .spark { break-inside: avoid; }
  .table th, .table td { padding: 4px 6px; }
  .panel { padding: 10px 12px; }
  .recs { gap: 6px; }
  .rec { padding: 5px 10px; }
  .rec-message { margin: 2px 0; }
  .table thead th { letter-spacing: 0; }
  .table .time { white-space: normal; }
  /* The page is narrower than a screen: the chart shrinks (its viewBox scales the labels with it). */
  .spark { width: 230px; height: auto; }
  h2, h3 { break-after: avoid; }
  .host { break-before: page; }
  .alerts { break-before: page; }
  .table .name a { text-decoration: none; }
}
`;
