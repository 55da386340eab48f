/**
 * The Export dialog's model: the form → the ReportRequest (presets end now, custom inputs are local
 * time), the host choice, the GET /report URL, the downloaded file's name and the error texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bridgeErrorText, downloadErrorText, fallbackFileName, fileNameFromDisposition, initialForm, localInputValue,
  parseLocalInput, reportUrl, validate,
} from '../../../renderer/src/views/reports/exportForm.ts';
import type { ExportForm } from '../../../renderer/src/views/reports/exportForm.ts';
import { ALL_HOSTS, choiceFromHosts, hostsParam, isPicked, toggleAll, toggleHost } from '../../../renderer/src/views/reports/hostChoice.ts';
import { REPORT_SECTIONS, ReportRequest } from '../../../shared/report.ts';

const ALL = [...REPORT_SECTIONS];

const NOW = new Date(2026, 10, 22, 14, 30, 15).getTime();
const HOUR = 3_600_000;

test('it opens on the last 24 h of every host in HTML, or of the host it was opened from', () => {
  const form = initialForm(NOW);
  assert.deepEqual(validate(form, NOW), {
    request: { from: NOW - 24 * HOUR, to: NOW, hosts: [], sections: ALL }, range: { from: NOW - 24 * HOUR, to: NOW }, issues: {},
  });
  assert.equal(form.format, 'html');
  assert.deepEqual(validate(initialForm(NOW, 'web1'), NOW).request?.hosts, ['web1']);
  // The custom inputs start on the same 24 h, to the minute.
  assert.equal(form.from, '2026-11-21T14:30');
  assert.equal(form.to, '2026-11-22T14:30');
});

test('presets end now; the request passes the contract’s schema', () => {
  for (const [range, hours] of [['7d', 7 * 24], ['30d', 30 * 24]] as const) {
    const { request } = validate({ ...initialForm(NOW), range }, NOW);
    assert.deepEqual(request, { from: NOW - hours * HOUR, to: NOW, hosts: [], sections: ALL });
    assert.equal(ReportRequest.safeParse(request).success, true);
  }
});

test('a custom range is read in local time', () => {
  const form: ExportForm = { ...initialForm(NOW), range: 'custom', from: '2026-11-20T08:00', to: '2026-11-21T17:45' };
  assert.deepEqual(validate(form, NOW).request, {
    from: new Date(2026, 10, 20, 8, 0).getTime(), to: new Date(2026, 10, 21, 17, 45).getTime(), hosts: [], sections: ALL,
  });
  assert.equal(parseLocalInput('2026-11-20T08:00:30'), new Date(2026, 10, 20, 8, 0, 30).getTime());
  assert.equal(localInputValue(new Date(2026, 0, 5, 7, 9).getTime()), '2026-01-05T07:09');
});

test('a custom range must have both ends, start before it ends, and not start in the future', () => {
  const custom = (from: string, to: string): ExportForm => ({ ...initialForm(NOW), range: 'custom', from, to });
  assert.deepEqual(validate(custom('', '2026-11-21T10:00'), NOW).issues, { from: 'Enter the date and time the report starts' });
  assert.deepEqual(validate(custom('2026-11-21T10:00', '2026-11-21'), NOW).issues, { to: 'Enter the date and time the report ends' });
  assert.deepEqual(validate(custom('2026-11-21T10:00', '2026-11-21T10:00'), NOW).issues, { to: 'The end must be after the start' });
  assert.deepEqual(validate(custom('2026-11-21T10:00', '2026-11-20T10:00'), NOW).issues, { to: 'The end must be after the start' });
  assert.deepEqual(validate(custom('2026-11-23T10:00', '2026-11-24T10:00'), NOW).issues,
    { from: 'This is in the future: there is nothing to report yet' });
  const invalid = validate(custom('2026-11-21T10:00', '2026-11-20T10:00'), NOW);
  assert.equal(invalid.request, null);
  assert.equal(invalid.range, null);
});

test('at least one host; the range is still known while the hosts are wrong', () => {
  const result = validate({ ...initialForm(NOW), hosts: toggleAll(false) }, NOW);
  assert.equal(result.request, null);
  assert.deepEqual(result.issues, { hosts: 'Choose at least one host' });
  assert.deepEqual(result.range, { from: NOW - 24 * HOUR, to: NOW });
});

test('the host choice: "all" is every host, unticking one picks the others, ticking all of them is "all" again', () => {
  const ids = ['local', 'web1', 'db1'];
  const withoutWeb = toggleHost(ALL_HOSTS, ids, 'web1', false);
  assert.deepEqual(withoutWeb, { all: false, picked: ['local', 'db1'] });
  assert.equal(isPicked(withoutWeb, 'web1'), false);
  assert.equal(isPicked(withoutWeb, 'db1'), true);
  assert.deepEqual(hostsParam(withoutWeb), ['local', 'db1']);
  assert.deepEqual(toggleHost(withoutWeb, ids, 'web1', true), ALL_HOSTS);
  assert.deepEqual(hostsParam(ALL_HOSTS), []);
  assert.deepEqual(toggleHost(toggleAll(false), ids, 'db1', true), { all: false, picked: ['db1'] });
  assert.deepEqual(choiceFromHosts([]), ALL_HOSTS);
  assert.deepEqual(choiceFromHosts(['db1']), { all: false, picked: ['db1'] });
});

test('the download URL carries the range, the format, each host, the sections unless all, and the progress token', () => {
  assert.equal(reportUrl({ from: 1000, to: 2000, hosts: [], sections: ALL }, 'html'), '/report?from=1000&to=2000&format=html');
  assert.equal(reportUrl({ from: 1000, to: 2000, hosts: ['web 1', 'a&b'], sections: ALL }, 'csv'),
    '/report?from=1000&to=2000&format=csv&host=web+1&host=a%26b');
  const query = new URL(reportUrl({ from: 1, to: 2, hosts: ['x', 'y'], sections: ALL }, 'pdf'), 'http://h').searchParams;
  assert.deepEqual(query.getAll('host'), ['x', 'y']);
  assert.equal(reportUrl({ from: 1, to: 2, hosts: [], sections: ['resources', 'alerts'], progress: 'p-1' }, 'md'),
    '/report?from=1&to=2&format=md&sections=resources%2Calerts&progress=p-1');
  assert.equal(reportUrl({ from: 1, to: 2, hosts: [], sections: [] }, 'md'), '/report?from=1&to=2&format=md&sections=');
});

test('what to include: in the report’s order, charts only with resources, and a CSV always whole', () => {
  const form = (sections: ExportForm['sections'], format: ExportForm['format'] = 'html') => validate({ ...initialForm(NOW), sections, format }, NOW).request!.sections;
  assert.deepEqual(form(['recommendations', 'resources', 'charts']), ['resources', 'charts', 'recommendations']);
  assert.deepEqual(form(['charts', 'alerts']), ['alerts']);
  assert.deepEqual(form([]), []);
  assert.deepEqual(form(['alerts'], 'csv'), ALL);
});

test('the file name comes from Content-Disposition, without any folder, or from the range', () => {
  assert.equal(fileNameFromDisposition('attachment; filename="hostwatch-report-2026-11-22.html"'), 'hostwatch-report-2026-11-22.html');
  assert.equal(fileNameFromDisposition('attachment; filename=report.csv'), 'report.csv');
  assert.equal(fileNameFromDisposition(`attachment; filename="r.md"; filename*=UTF-8''r%C3%A9sum%C3%A9.md`), 'résumé.md');
  assert.equal(fileNameFromDisposition('attachment; filename="../../etc/passwd"'), 'passwd');
  assert.equal(fileNameFromDisposition('attachment; filename="a\\"b.html"'), 'a"b.html');
  assert.equal(fileNameFromDisposition('attachment'), null);
  assert.equal(fileNameFromDisposition(null), null);
  assert.equal(fallbackFileName({ from: 0, to: new Date(2026, 10, 22, 0, 30).getTime(), hosts: [], sections: ALL }, 'md'), 'hostwatch-report-2026-11-22.md');
});

test('errors in the user’s words: the engine’s text, or what Electron wrapped around the reason', () => {
  assert.equal(downloadErrorText(503, 'PDF reports need Chromium: install it.\n'), 'PDF reports need Chromium: install it.');
  assert.equal(downloadErrorText(500, ''), 'The engine answered with status 500 and no explanation.');
  assert.equal(bridgeErrorText(new Error("Error invoking remote method 'hostwatch:export-report': Error: EACCES: permission denied, open '/x.html'")),
    "EACCES: permission denied, open '/x.html'");
  assert.equal(bridgeErrorText(new Error("Error invoking remote method 'hostwatch:export-report': NoChromiumError: PDF needs Chromium")),
    'PDF needs Chromium');
  assert.equal(bridgeErrorText('plain'), 'plain');
});
