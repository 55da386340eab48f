/**
 * A report as GitHub-flavoured Markdown: what the HTML says (content.ts), as headings, lists and
 * tables, without charts but with the trend sentences. Report text goes through `md`, or `mdLine` where
 * it starts a line or a list item (escape.ts), so a hostile name reads as literal text and never makes
 * markup; the renderer's own markup (`**`, `|`, `#`) is written around it. No HTML at all.
 */
import { formatAvailability, formatDuration } from '../../../shared/format.ts';
import type { HostReport, Recommendation, Report, ReportAlert, ReportCheck, ResourceSummary, Verdict } from '../../../shared/report.ts';
import {
  UNKNOWN, alertsByStart, checkDownText, checkStateLook, coverageNote, latencyOrUnknown, durationOrUnknown, figureText, fleetRow, formatFigure, formatRange, formatTime,
  hostAlertCount, hostName, hostsWorstFirst, includes, leftOutNote, percentOrUnknown, rebootsText, recommendationsBySeverity,
  resolvedAt, rulesNoisiestFirst, severityCounts, severityLook, statusLook, trendSentence,
} from './content.ts';
import type { Look } from './content.ts';
import { escapeMarkdown as mdLine, escapeMarkdownInline as md } from './escape.ts';

/** The report as a Markdown document (ends with a newline). Deterministic, all times in UTC. */
export function renderMarkdown(report: Report): string {
  const hosts = hostsWorstFirst(report);
  const blocks = [
    '# Hostwatch health report',
    header(report),
    overall(report.verdict),
    fleet(hosts, includes(report, 'resources')),
    ...(includes(report, 'recommendations') ? [recommendations(report)] : []),
    ...hosts.map((h) => hostSection(report, h)),
    ...(includes(report, 'alerts') ? [alerts(report)] : []),
    `_${md(`Hostwatch ${report.hostwatchVersion} · report schema ${report.schema} v${report.version} · generated ${formatTime(report.generatedAt)}`)}_`,
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** A status or severity in words, icon first: "✖ Critical". */
function word(look: Look): string {
  return `${look.icon} ${look.word}`;
}

/** A GitHub table: header cells, which columns are numbers (right-aligned), rows of plain text (escaped here). */
function table(head: string[], numeric: boolean[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(head.map(md)),
    line(numeric.map((n) => (n ? '---:' : '---'))),
    ...rows.map((r) => line(r.map(md))),
  ].join('\n');
}

function header(report: Report): string {
  const names = report.hosts.map((h) => h.name);
  const leftOut = leftOutNote(report);
  return [
    `- **Range:** ${md(formatRange(report))}`,
    `- **Generated:** ${md(formatTime(report.generatedAt))}`,
    `- **Hostwatch:** ${md(report.hostwatchVersion)}`,
    `- **Hosts (${names.length}):** ${names.length === 0 ? 'none' : md(names.join(', '))}`,
    '',
    mdLine(`All times are in UTC (Coordinated Universal Time). Averages and p95 are over ${formatDuration(report.bucketSeconds)} averages; min and max are single samples.`),
    ...(leftOut === null ? [] : ['', mdLine(`${leftOut}.`)]),
  ].join('\n');
}

function reasons(verdict: Verdict, calm: string): string {
  return verdict.reasons.length === 0 ? calm : verdict.reasons.map((r) => `- ${mdLine(r)}`).join('\n');
}

function overall(verdict: Verdict): string {
  return `## Overall: ${word(statusLook(verdict.status))}\n\n${reasons(verdict, 'Nothing needs attention in this range.')}`;
}

function recommendations(report: Report): string {
  const items = recommendationsBySeverity(report);
  const body = items.length === 0 ? 'No recommendations: nothing in this range calls for action.'
    : items.map((r) => recommendation(report, r)).join('\n');
  return `## Recommendations\n\n${body}`;
}

function recommendation(report: Report, rec: Recommendation): string {
  const about = rec.host === null ? 'Fleet' : hostName(report, rec.host);
  const figures = Object.entries(rec.figures).map(([name, value]) => figureText(name, value));
  const first = `- **${word(severityLook(rec.severity))}** · **${md(about)}**: ${md(rec.message)}`;
  if (figures.length === 0) return first;
  // Indented under the item: a continuation line of the same list item.
  return `${first}\\\n  ${figures.map((f) => `${mdLine(f.label)}: **${md(f.value)}**`).join(' · ')}`;
}

/** The fleet table; its resource columns only when the report has resources. */
function fleet(hosts: HostReport[], resources: boolean): string {
  if (hosts.length === 0) return '## Fleet\n\nNo hosts in this report.';
  const width = resources ? 8 : 5;
  const rows = hosts.map((h) => {
    const row = fleetRow(h);
    return [h.name, word(statusLook(h.verdict.status)), row.availability, row.unreachable, row.reboots, row.cpuP95,
      row.memoryAvg, row.fullestFilesystem].slice(0, width);
  });
  return `## Fleet\n\n${table(
    ['Host', 'Status', 'Availability', 'Unreachable', 'Reboots', 'CPU p95', 'Memory avg', 'Fullest filesystem'].slice(0, width),
    [false, false, true, true, true, true, true, false].slice(0, width), rows)}`;
}

function hostSection(report: Report, host: HostReport): string {
  const where = host.kind === 'local' ? 'this machine' : host.address === null ? 'SSH' : `SSH · ${host.address}`;
  const coverage = coverageNote(host, report);
  const trends = host.resources.map((r) => trendSentence(r, report.to)).filter((s) => s !== null);
  const facts: [string, string][] = [
    ['Availability', percentOrUnknown(host.availability)],
    ['Unreachable', durationOrUnknown(host.unreachableSeconds)],
    ['Uptime at end', durationOrUnknown(host.uptimeSeconds)],
    ['Reboots', rebootsText(host)],
    ...(includes(report, 'alerts') ? [['Alerts', hostAlertCount(report, host)] as [string, string]] : []),
  ];
  return [
    `## ${md(host.name)} — ${word(statusLook(host.verdict.status))}`,
    mdLine(where),
    reasons(host.verdict, 'Nothing needs attention.'),
    ...(coverage === null ? [] : [`> **${md(coverage)}.**`]),
    facts.map(([name, value]) => `**${name}:** ${md(value)}`).join(' · '),
    ...(host.dataFrom === null || !includes(report, 'resources') ? [] : [resourceTable(host.resources)]),
    ...(trends.length === 0 ? [] : [`**Trends**\n\n${trends.map((t) => `- ${mdLine(t)}.`).join('\n')}`]),
    ...(includes(report, 'checks') && host.checks.length > 0 ? [`**Service checks**\n\n${checkTable(host.checks)}`] : []),
  ].join('\n\n');
}

/** The host's service checks: availability, run times, time down, state at the end. */
function checkTable(checks: ReportCheck[]): string {
  return table(['Check', 'Type', 'Target', 'Up', 'Run time p50', 'p95', 'Down', 'At the end'],
    [false, false, false, true, true, true, true, false],
    checks.map((c) => {
      const look = checkStateLook(c.state);
      return [c.name, c.typeLabel, c.target, c.availability === null ? UNKNOWN : formatAvailability(c.availability), latencyOrUnknown(c.latencyP50Seconds),
        latencyOrUnknown(c.latencyP95Seconds), checkDownText(c), look === null ? '—' : word(look)];
    }));
}

/** The resources of a host with data (without any, the coverage note has said so). */
function resourceTable(resources: ResourceSummary[]): string {
  if (resources.every((r) => r.avg === null && r.chart.length === 0)) return 'No resource figures in this range.';
  return table(['Resource', 'Min', 'Avg', 'p95', 'Max'], [false, true, true, true, true],
    resources.map((r) => [r.label, ...[r.min, r.avg, r.p95, r.max].map((v) => formatFigure(v, r.unit))]));
}

function alerts(report: Report): string {
  const items = alertsByStart(report);
  if (items.length === 0) return '## Alerts\n\nNo alerts in this range.';
  const rules = rulesNoisiestFirst(report).map((r) => [r.rule, String(r.count), String(r.hosts)]);
  return [
    '## Alerts',
    `**By severity:** ${md(severityCounts(report))}`,
    '### By rule, noisiest first',
    table(['Rule', 'Firings', 'Hosts'], [false, true, true], rules),
    '### Every alert',
    table(['Severity', 'Rule', 'Host', 'Summary', 'Value', 'Threshold', 'Started', 'Duration', 'Resolved'],
      [false, false, false, false, true, true, false, true, false], items.map(alertRow)),
  ].join('\n\n');
}

function alertRow(alert: ReportAlert): string[] {
  const resolved = resolvedAt(alert);
  return [word(severityLook(alert.severity)), alert.rule, alert.hostName, alert.summary,
    formatFigure(alert.value, alert.unit), formatFigure(alert.threshold, alert.unit), formatTime(alert.startedAt),
    formatDuration(alert.durationSeconds), resolved === null ? 'still firing' : formatTime(resolved)];
}
