/** One meaning per colour, never colour alone, and worst first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertState, HostState } from '../../../shared/api.ts';
import type { Severity } from '../../../shared/rules.ts';
import {
  alertStateLook, hostLook, SEVERITY_RANK, severityLook, severityTone, TONE_RANK, type Tone,
} from '../../../renderer/src/lib/status.ts';

const HOST_STATES: HostState[] = [
  'online', 'connecting', 'unreachable', 'auth_failed', 'host_key_unknown', 'host_key_changed', 'error', 'paused',
];
const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
const ALERT_STATES: AlertState[] = ['pending', 'firing', 'resolved'];

test('sorting tones by rank puts the worst first: critical, warning, unknown, info, ok', () => {
  const tones: Tone[] = ['ok', 'info', 'critical', 'unknown', 'warning'];
  const sorted = [...tones].sort((a, b) => TONE_RANK[b] - TONE_RANK[a]);
  assert.deepEqual(sorted, ['critical', 'warning', 'unknown', 'info', 'ok']);
});

test('sorting hosts worst first: failing, then waiting for a host key decision, then paused, connecting, online', () => {
  const sorted = [...HOST_STATES].sort((a, b) => TONE_RANK[hostLook(b).tone] - TONE_RANK[hostLook(a).tone]);
  const failing = ['unreachable', 'auth_failed', 'host_key_changed', 'error'];
  assert.deepEqual(new Set(sorted.slice(0, 4)), new Set(failing));
  assert.deepEqual(sorted.slice(4), ['host_key_unknown', 'paused', 'connecting', 'online']);
});

test('severity rank orders critical above warning above info', () => {
  const sorted = [...SEVERITIES].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);
  assert.deepEqual(sorted, ['critical', 'warning', 'info']);
});

test('every host state, severity and alert state has an icon and a word, not only a colour', () => {
  const looks = [
    ...HOST_STATES.map(hostLook),
    ...SEVERITIES.map(severityLook),
    ...ALERT_STATES.flatMap((s) => SEVERITIES.map((sev) => alertStateLook(s, sev))),
  ];
  for (const look of looks) {
    assert.ok(look.icon.length > 0, JSON.stringify(look));
    assert.ok(look.word.length > 0, JSON.stringify(look));
    assert.ok(look.tone in TONE_RANK, JSON.stringify(look));
  }
});

test('host states that need the user\'s attention look critical; online looks ok', () => {
  assert.equal(hostLook('online').tone, 'ok');
  for (const s of ['unreachable', 'auth_failed', 'host_key_changed', 'error'] as const) assert.equal(hostLook(s).tone, 'critical', s);
  assert.equal(hostLook('host_key_changed').word, 'Host key changed');
  assert.equal(hostLook('auth_failed').word, 'Authentication failed');
  assert.equal(hostLook('host_key_unknown').tone, 'warning');
  assert.equal(hostLook('host_key_unknown').word, 'Host key unknown');
});

test('a firing alert takes its severity\'s tone; pending is grey and resolved is green whatever the severity', () => {
  assert.equal(alertStateLook('firing', 'warning').tone, 'warning');
  assert.equal(alertStateLook('firing', 'critical').tone, 'critical');
  assert.equal(alertStateLook('firing', 'info').tone, 'info');
  assert.equal(alertStateLook('firing', 'info').word, 'Firing');
  for (const sev of SEVERITIES) {
    assert.equal(alertStateLook('pending', sev).tone, 'unknown');
    assert.equal(alertStateLook('resolved', sev).tone, 'ok');
  }
  assert.deepEqual(SEVERITIES.map(severityTone), ['info', 'warning', 'critical']);
});
