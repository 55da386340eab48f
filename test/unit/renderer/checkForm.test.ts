/** The check form's model: spec ↔ form, numbers and durations as text, rows, templates, and zod's issues on their fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHECK_FORMS, CHECK_TYPES, CheckSpec, type CheckType } from '../../../shared/checks/index.ts';
import {
  emptyCondition, emptyForm, formFromSpec, friendlyMessage, issueKey, jsonValueText, parseJsonValue, parseSeconds,
  secondsText, suggestedName, validateCheckForm, withType, type CheckForm, type ConditionRow, type HeaderRow,
} from '../../../renderer/src/views/checks/checkForm.ts';
import { TEMPLATES, applyTemplate } from '../../../renderer/src/views/checks/templates.ts';

const web = (over: Partial<CheckForm> = {}, fields: Record<string, unknown> = {}): CheckForm => {
  const form = applyTemplate(TEMPLATES.find((t) => t.id === 'web')!);
  return { ...form, ...over, fields: { ...form.fields, url: 'https://example.com/', ...fields } as CheckForm['fields'] };
};

test('a new form of each type has every field of its form description, filled with the schema defaults', () => {
  for (const type of CHECK_TYPES) {
    const form = emptyForm(type);
    assert.deepEqual(Object.keys(form.fields).sort(), CHECK_FORMS[type].fields.map((f) => f.key).sort(), type);
  }
  const http = emptyForm('http').fields;
  assert.equal(http.method, 'GET');
  assert.equal(http.acceptedStatus, '200-299');
  assert.equal(http.maxRedirects, '5');
  assert.equal(http.degradedAboveSeconds, '', 'null shows as empty');
  assert.equal(http.readiness, false);
  assert.deepEqual(http.headers, []);
  assert.deepEqual(http.conditions, []);
  assert.equal(emptyForm('dns').fields.recordType, 'A');
  assert.equal(emptyForm('tcp').fields.port, '', 'a required number without default starts empty');
});

test('the "Web site" template with a URL is a valid spec: https, 200-299, certificate thresholds, named after the URL', () => {
  const { spec, issues } = validateCheckForm(web());
  assert.deepEqual(issues, {});
  assert.ok(spec && spec.type === 'http');
  assert.equal(spec.url, 'https://example.com/');
  assert.equal(spec.acceptedStatus, '200-299');
  assert.equal(spec.tlsWarningDays, 14);
  assert.equal(spec.tlsCriticalDays, 7);
  assert.equal(spec.name, 'example.com', 'the name comes from the URL when left empty');
  assert.equal(spec.host, 'local');
  assert.equal(spec.intervalSeconds, 60);
  assert.equal(spec.timeoutSeconds, 10);
});

test('each template gives its type and settings: readiness on, port 5432, record A, ping, unit, all containers, journal errors', () => {
  const by = Object.fromEntries(TEMPLATES.map((t) => [t.id, applyTemplate(t)]));
  assert.deepEqual(TEMPLATES.map((t) => t.label), ['Web site', 'API health endpoint', 'PostgreSQL port', 'DNS record', 'Ping',
    'systemd unit', 'All containers', 'Errors in the journal']);
  assert.equal(by.api!.type, 'http');
  assert.equal(by.api!.fields.readiness, true);
  assert.equal(by.postgres!.type, 'tcp');
  assert.equal(by.postgres!.fields.port, '5432');
  const pg = validateCheckForm({ ...by.postgres!, fields: { ...by.postgres!.fields, target: 'db.internal' } });
  assert.equal(pg.spec?.type === 'tcp' && pg.spec.port, 5432);
  assert.equal(pg.spec?.name, 'db.internal:5432');
  assert.equal(by.dns!.type, 'dns');
  assert.equal(by.dns!.fields.recordType, 'A');
  assert.equal(by.ping!.type, 'ping');
  const unit = validateCheckForm({ ...by.systemd!, fields: { ...by.systemd!.fields, unit: 'nginx.service' } });
  assert.deepEqual([unit.spec?.type, unit.spec?.name], ['systemd', 'nginx.service']);
  const containers = validateCheckForm(by.containers!);
  assert.ok(containers.spec?.type === 'container' && containers.spec.container === '*' && containers.spec.socket === '/var/run/docker.sock');
  assert.equal(containers.spec?.name, 'All containers');
  const journal = validateCheckForm(by.journal!);
  assert.ok(journal.spec?.type === 'log' && journal.spec.source === 'journal' && journal.spec.priority === 'err'
    && journal.spec.windowSeconds === 300 && journal.spec.criticalCount === 10, JSON.stringify(journal.issues));
  assert.equal(journal.spec?.name, 'Log journal err');
});

test('a template keeps the host, name and schedule already chosen', () => {
  const start = { ...emptyForm('http', 'web1'), name: 'Shop', intervalSeconds: '5s' };
  const form = applyTemplate(TEMPLATES.find((t) => t.id === 'postgres')!, start);
  assert.equal(form.host, 'web1');
  assert.equal(form.name, 'Shop');
  assert.equal(form.intervalSeconds, '5s');
  assert.equal(form.type, 'tcp');
});

test('the timeout is its own setting: 10 s by default, longer than the interval if need be (runs never overlap)', () => {
  assert.equal(validateCheckForm(web({ intervalSeconds: '1' })).spec?.timeoutSeconds, 10);
  assert.equal(validateCheckForm(web({ intervalSeconds: '5', timeoutSeconds: '30' })).spec?.timeoutSeconds, 30);
  assert.equal(validateCheckForm(web({ timeoutSeconds: '0.5' })).spec?.timeoutSeconds, 0.5);
  assert.equal(validateCheckForm(web({ timeoutSeconds: '' })).issues.timeoutSeconds, 'Enter a number of seconds, or 30s, 5m, 1h');
  assert.equal(validateCheckForm(web({ timeoutSeconds: '10m' })).issues.timeoutSeconds, 'At most 300 s');
});

test('durations are typed as seconds or 30s / 5m / 1h30m; other text is refused on its field', () => {
  assert.equal(parseSeconds('90'), 90);
  assert.equal(parseSeconds('0.5'), 0.5);
  assert.equal(parseSeconds('2.5s'), 2.5);
  assert.equal(parseSeconds('5m'), 300);
  assert.equal(parseSeconds('1h30m'), 5400);
  assert.equal(parseSeconds('soon'), null);
  assert.equal(secondsText(60), '1m');
  assert.equal(secondsText(5400), '1h30m');
  assert.equal(secondsText(0.5), '0.5s');
  assert.equal(validateCheckForm(web({ intervalSeconds: 'often' })).issues.intervalSeconds, 'Write it as seconds, or like 30s, 5m, 1h');
  assert.equal(validateCheckForm(web({ intervalSeconds: '' })).issues.intervalSeconds, 'Enter a number of seconds, or 30s, 5m, 1h');
  assert.equal(validateCheckForm(web({ failureThreshold: '2.5' })).issues.failureThreshold, 'Enter a whole number');
  assert.equal(validateCheckForm(web({ retryIntervalSeconds: '' })).spec?.retryIntervalSeconds, null, 'empty: the interval');
  assert.equal(validateCheckForm(web({ retryIntervalSeconds: '10s' })).spec?.retryIntervalSeconds, 10);
});

test('zod messages show on their fields, in the user\'s words', () => {
  const bad = validateCheckForm(web({}, { url: 'example.com', acceptedStatus: '200-', tlsCriticalDays: '30' }));
  assert.equal(bad.spec, null);
  assert.equal(bad.issues.url, 'Enter an http:// or https:// address');
  assert.equal(bad.issues.acceptedStatus, 'Write codes and ranges like 200-299,301');
  assert.equal(bad.issues.tlsCriticalDays, 'Critical comes before warning: give it fewer days');
  const interval = validateCheckForm(web({ intervalSeconds: '0.5' }));
  assert.equal(interval.issues.intervalSeconds, 'Checks run at most once a second');
  const threshold = validateCheckForm(web({ failureThreshold: '0' }));
  assert.equal(threshold.issues.failureThreshold, 'At least 1', 'zod\'s "Too small: expected number to be >=1" reworded');
  const port = validateCheckForm({ ...emptyForm('tcp'), fields: { ...emptyForm('tcp').fields, target: 'db', port: '70000' } });
  assert.equal(port.issues.port, 'Ports go from 1 to 65535');
  const noPort = validateCheckForm({ ...emptyForm('tcp'), fields: { ...emptyForm('tcp').fields, target: 'db', port: '' } });
  assert.equal(noPort.issues.port, 'Enter a number');
  const noTarget = validateCheckForm({ ...emptyForm('ping'), name: 'Router' });
  assert.equal(noTarget.issues.target, 'Enter the host name or address');
  assert.equal(validateCheckForm(web({}, { degradedAboveSeconds: 'fast' })).issues.degradedAboveSeconds, 'Enter a number');
  assert.equal(validateCheckForm(web({}, { degradedAboveSeconds: '0' })).issues.degradedAboveSeconds, 'Must be more than 0');
});

test('without a name, a missing target is the one thing to fix (it names the check)', () => {
  const { spec, issues } = validateCheckForm(emptyForm('ping'));
  assert.equal(spec, null);
  assert.deepEqual(issues, { target: 'Enter the host name or address' });
  assert.equal(validateCheckForm(web({}, { url: 'nope' })).issues.name, undefined);
  assert.equal(validateCheckForm(web({ name: ' ' }, { url: 'https://' })).issues.url, 'Enter an http:// or https:// address');
});

test('a name taken on the host is refused before the engine refuses it', () => {
  const taken = new Set(['Shop']);
  assert.equal(validateCheckForm(web({ name: 'Shop' }), taken).issues.name, 'Another check on this host has this name');
  assert.match(validateCheckForm(web(), new Set(['example.com'])).issues.name!, /Another check on this host is called “example.com”/);
  assert.deepEqual(validateCheckForm(web({ name: 'Shop 2' }), taken).issues, {});
});

test('headers: empty rows are ignored, names and values checked on their own row, a repeated name refused', () => {
  const headers: HeaderRow[] = [
    { name: 'Authorization', value: 'Bearer x' }, { name: '', value: '' }, { name: 'Bad Name', value: 'v' },
    { name: 'X-Two', value: 'a\nb' }, { name: 'authorization', value: 'again' }, { name: '', value: 'orphan' },
  ];
  const { spec, issues } = validateCheckForm(web({}, { headers }));
  assert.equal(spec, null);
  assert.equal(issues['headers.2.name'], 'Not a header name');
  assert.equal(issues['headers.3.value'], 'A header value is one line');
  assert.equal(issues['headers.4.name'], 'authorization is set above already');
  assert.equal(issues['headers.5.name'], 'Give the header a name');
  assert.equal(issues['headers.0.name'], undefined);
  const ok = validateCheckForm(web({}, { headers: [{ name: ' X-Api-Key ', value: 'k' }, { name: '', value: '' }] }));
  assert.deepEqual(ok.spec?.type === 'http' && ok.spec.headers, { 'X-Api-Key': 'k' });
});

test('conditions: every kind becomes its spec shape; JSON values typed as JSON; issues on the row\'s input', () => {
  const rows: ConditionRow[] = [
    { ...emptyCondition('body_contains'), text: 'ok' },
    { ...emptyCondition('body_not_contains'), text: 'error' },
    { ...emptyCondition('body_matches'), text: '"up":\\s*true' },
    { ...emptyCondition('json'), path: '$.status', op: '==', value: 'up' },
    { ...emptyCondition('json'), path: '$.count', op: '>', value: '3' },
    { ...emptyCondition('json'), path: '$.ready', op: '==', value: 'true' },
    { ...emptyCondition('header'), name: 'Content-Type', op: 'contains', value: 'json' },
    { ...emptyCondition('header'), name: 'X-Debug', op: 'absent', value: 'left over' },
  ];
  const { spec, issues } = validateCheckForm(web({}, { conditions: rows }));
  assert.deepEqual(issues, {});
  assert.deepEqual(spec?.type === 'http' && spec.conditions, [
    { kind: 'body_contains', text: 'ok' },
    { kind: 'body_not_contains', text: 'error' },
    { kind: 'body_matches', pattern: '"up":\\s*true' },
    { kind: 'json', path: '$.status', op: '==', value: 'up' },
    { kind: 'json', path: '$.count', op: '>', value: 3 },
    { kind: 'json', path: '$.ready', op: '==', value: true },
    { kind: 'header', name: 'Content-Type', op: 'contains', value: 'json' },
    { kind: 'header', name: 'X-Debug', op: 'absent', value: '' },
  ]);

  const bad: ConditionRow[] = [
    { ...emptyCondition('body_contains'), text: '' },
    { ...emptyCondition('body_matches'), text: '(' },
    { ...emptyCondition('json'), path: 'status', value: '1' },
    { ...emptyCondition('header'), name: 'Bad Name', op: 'present' },
  ];
  const failed = validateCheckForm(web({}, { conditions: bad }));
  assert.equal(failed.issues['conditions.0.text'], 'Fill this in');
  assert.equal(failed.issues['conditions.1.text'], 'Not a valid regular expression', 'a pattern\'s issue shows on its text input');
  assert.equal(failed.issues['conditions.2.path'], 'Write the path like $.status or $.checks[0].name');
  assert.equal(failed.issues['conditions.3.name'], 'Not a header name');
});

test('JSON condition values: numbers, booleans and null as such, quotes for text that looks like one', () => {
  assert.equal(parseJsonValue('200'), 200);
  assert.equal(parseJsonValue('-1.5'), -1.5);
  assert.equal(parseJsonValue('false'), false);
  assert.equal(parseJsonValue('null'), null);
  assert.equal(parseJsonValue('"200"'), '200');
  assert.equal(parseJsonValue('up'), 'up');
  for (const v of ['200', 'true', 'up', '"quoted"', '', 'null', 200, true, null, 0.5] as const) {
    assert.deepEqual(parseJsonValue(jsonValueText(v)), v, `round trip of ${JSON.stringify(v)}`);
  }
  fc.assert(fc.property(fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)), (v) => {
    if (typeof v === 'number' && (Object.is(v, -0) || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(String(v)))) return;
    assert.deepEqual(parseJsonValue(jsonValueText(v)), v);
  }));
});

test('DNS expected answers: empty rows skipped, an issue lands on the row it came from', () => {
  const form = emptyForm('dns');
  const ok = validateCheckForm({ ...form, fields: { ...form.fields, query: 'example.com', expect: ['', '192.0.2.1', ' '] } });
  assert.deepEqual(ok.spec?.type === 'dns' && ok.spec.expect, ['192.0.2.1']);
  const long = 'x'.repeat(1001);
  const bad = validateCheckForm({ ...form, fields: { ...form.fields, query: 'example.com', expect: ['', '192.0.2.1', long] } });
  assert.equal(bad.issues['expect.2'], 'At most 1000 characters');
  assert.equal(validateCheckForm({ ...form, fields: { ...form.fields, query: 'bad name!' } }).issues.query, 'Enter a DNS name like www.example.com');
});

test('a stored spec comes back from its form unchanged, whatever its type', () => {
  const specs: CheckSpec[] = [
    CheckSpec.parse({
      type: 'http', name: 'API', host: 'web1', url: 'https://api.example.com/health', method: 'POST', headers: { 'X-Key': 'k' },
      body: '{"ping":1}', acceptedStatus: '200-299,301', conditions: [{ kind: 'json', path: '$.status', op: '==', value: '200' }],
      degradedAboveSeconds: 1.5, readiness: true, intervalSeconds: 30, timeoutSeconds: 7, retryIntervalSeconds: 5,
      initialDelaySeconds: 2, failureThreshold: 2, successThreshold: 3, maintenance: true, enabled: false, from: 'host',
    }),
    CheckSpec.parse({ type: 'tcp', name: 'DB', target: '2001:db8::1', port: 5432, send: 'PING', expect: '^PONG', intervalSeconds: 1 }),
    CheckSpec.parse({ type: 'dns', name: 'MX', query: 'example.com', recordType: 'MX', server: '1.1.1.1:53', expect: ['10 mx.example.com'], expectRcode: 'NOERROR' }),
    CheckSpec.parse({ type: 'ping', name: 'Router', target: 'router.lan', count: 5, downLossRatio: 0.5, intervalSeconds: 0.5 * 4 }),
  ];
  for (const spec of specs) {
    const { spec: back, issues } = validateCheckForm(formFromSpec(spec));
    assert.deepEqual(issues, {}, spec.name);
    assert.deepEqual(back, spec, spec.name);
  }
});

test('any valid interval and timeout survive the form', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 1, max: 300 }), (interval, timeout) => {
    const spec = CheckSpec.parse({ type: 'ping', name: 'p', target: 'h', intervalSeconds: interval, timeoutSeconds: Math.min(timeout, interval) });
    assert.deepEqual(validateCheckForm(formFromSpec(spec)).spec, spec);
  }));
});

test('switching the type keeps the common settings and takes the new type\'s defaults', () => {
  const form = withType({ ...web(), name: 'X', intervalSeconds: '5s', host: 'web1' }, 'tcp');
  assert.equal(form.type, 'tcp');
  assert.equal(form.name, 'X');
  assert.equal(form.intervalSeconds, '5s');
  assert.equal(form.host, 'web1');
  assert.deepEqual(Object.keys(form.fields).sort(), CHECK_FORMS.tcp.fields.map((f) => f.key).sort());
});

test('suggested names: the URL\'s host and path, target:port, name and record type, "Ping host"', () => {
  const names: [CheckType, Record<string, string>, string][] = [
    ['http', { url: 'https://example.com/' }, 'example.com'],
    ['http', { url: 'http://127.0.0.1:8080/health/' }, '127.0.0.1:8080/health'],
    ['http', { url: 'https://' }, ''],
    ['http', { url: 'ftp://example.com' }, ''],
    ['tcp', { target: 'db', port: '5432' }, 'db:5432'],
    ['dns', { query: 'example.com', recordType: 'MX' }, 'example.com MX'],
    ['ping', { target: 'router.lan' }, 'Ping router.lan'],
    ['ping', { target: ' ' }, ''],
  ];
  for (const [type, fields, name] of names) assert.equal(suggestedName(type, fields), name, JSON.stringify(fields));
});

test('issue paths map to fields: a header by its name, a condition\'s pattern to its text, list rows through skipped blanks', () => {
  const form = web({}, { headers: [{ name: 'A', value: '' }, { name: 'B B', value: '' }], expect: [] });
  assert.equal(issueKey({ code: 'invalid_key', path: ['headers', 'B B'], message: 'x' }, form), 'headers.1.name');
  assert.equal(issueKey({ code: 'invalid_format', path: ['headers', 'A'], message: 'x' }, form), 'headers.0.value');
  assert.equal(issueKey({ code: 'invalid_format', path: ['headers', 'gone'], message: 'x' }, form), 'headers');
  assert.equal(issueKey({ code: 'custom', path: ['conditions', 2, 'pattern'], message: 'x' }, form), 'conditions.2.text');
  assert.equal(issueKey({ code: 'invalid_union', path: ['conditions', 1], message: 'x' }, form), 'conditions.1.kind');
  assert.equal(issueKey({ code: 'custom', path: ['timeoutSeconds'], message: 'x' }, form), 'timeoutSeconds');
  assert.equal(issueKey({ code: 'custom', path: [], message: 'x' }, form), '');
  const dns = emptyForm('dns');
  assert.equal(issueKey({ code: 'too_big', path: ['expect', 1], message: 'x' }, dns, { expect: [2, 5] }), 'expect.5');
});

test('friendly messages keep the schema\'s own words and reword zod\'s', () => {
  assert.equal(friendlyMessage({ code: 'custom', path: [], message: 'Enter an http:// or https:// address' }), 'Enter an http:// or https:// address');
  assert.equal(friendlyMessage({ code: 'too_small', path: [], origin: 'string', minimum: 1, message: 'Too small: expected string to have >=1 characters' }), 'Fill this in');
  assert.equal(friendlyMessage({ code: 'too_big', path: [], origin: 'number', maximum: 10, inclusive: true, message: 'Too big: expected number to be <=10' }), 'At most 10');
  assert.equal(friendlyMessage({ code: 'too_big', path: [], origin: 'array', maximum: 20, message: 'Too big: expected array to have <=20 items' }), 'At most 20 entries');
  assert.equal(friendlyMessage({ code: 'invalid_value', path: [], message: 'Invalid option: expected one of "GET"|"HEAD"' }), 'Pick one of the choices');
});
