/** Silences' matchers with Alertmanager's semantics, their text form, and their states over time. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Matcher, SilenceSpec, alertLabels, matchesAll, matchersText, muteSpec, parseMatcher, silenceState } from '../../shared/silences.ts';

const labels = alertLabels({ ruleName: 'Filesystem almost full', host: 'web1', severity: 'critical',
  attributes: { 'system.filesystem.mountpoint': '/var/lib' } }, 'Web 1');

test('labels: the rule, the host by id and name, the severity, the series attributes', () => {
  assert.deepEqual(labels, { alertname: 'Filesystem almost full', host: 'web1', hostname: 'Web 1', severity: 'critical',
    'system.filesystem.mountpoint': '/var/lib' });
});

test('each operator; regular expressions anchored at both ends; a missing label is empty', () => {
  const m = (text: string) => parseMatcher(text)!;
  const cases: [string[], boolean][] = [
    [['host=web1'], true],
    [['host=web'], false],
    [['host!=web2'], true],
    [['host=~web.*'], true],
    [['host=~eb1'], false],
    [['host!~db.*', 'severity=critical'], true],
    [['severity=critical', 'alertname="Host down"'], false],
    [['system.filesystem.mountpoint=~"/var(/.*)?"'], true],
    [['team='], true],
    [['team!='], false],
    [['team=~.+'], false],
  ];
  for (const [texts, expected] of cases) assert.equal(matchesAll(texts.map(m), labels), expected, texts.join(' '));
});

test('matchers as the command line writes them, and back as text; bad ones refused', () => {
  assert.deepEqual(parseMatcher('alertname="Host down"'), { name: 'alertname', op: '=', value: 'Host down' });
  assert.deepEqual(parseMatcher(' host =~ web[12] '), { name: 'host', op: '=~', value: 'web[12]' });
  assert.equal(parseMatcher('host=~web['), null, 'a broken regular expression');
  assert.equal(parseMatcher('=web1'), null);
  assert.equal(parseMatcher('host'), null);
  assert.equal(matchersText([parseMatcher('host=web1')!, parseMatcher('severity!=info')!]), '{host="web1", severity!="info"}');
  assert.equal(Matcher.safeParse({ name: '1host', op: '=', value: 'x' }).success, false);
});

test('pending before it starts, active until it ends, expired after; it must end after it starts', () => {
  const s = { startsAt: 1000, endsAt: 2000 };
  assert.deepEqual([999, 1000, 1999, 2000].map((t) => silenceState(s, t)), ['pending', 'active', 'active', 'expired']);
  assert.equal(SilenceSpec.safeParse({ matchers: [{ name: 'host', op: '=', value: 'a' }], startsAt: 5, endsAt: 5, createdBy: 'me' }).success, false);
  assert.equal(SilenceSpec.safeParse({ matchers: [], startsAt: 5, endsAt: 6, createdBy: 'me' }).success, false);
});

test('the tray mutes every alert for an hour, four hours, or until 08:00 tomorrow local time', () => {
  const now = new Date(2026, 10, 22, 23, 15).getTime();
  const hour = SilenceSpec.parse(muteSpec('hour', now));
  assert.equal(hour.endsAt - hour.startsAt, 3_600_000);
  assert.ok(matchesAll(hour.matchers, labels) && matchesAll(hour.matchers, { alertname: 'Host down' }));
  assert.equal(muteSpec('four-hours', now).endsAt - now, 4 * 3_600_000);
  const tomorrow = new Date(muteSpec('tomorrow', now).endsAt);
  assert.deepEqual([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()], [23, 8, 0]);
});
