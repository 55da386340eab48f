/** Which rules draw threshold lines and colour gauges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from '../../../shared/rules.ts';
import { rulesOn, toneFor } from '../../../renderer/src/lib/thresholds.ts';

let nextId = 1;
function rule(over: Partial<Rule>): Rule {
  return {
    id: nextId++, name: 'r', metric: 'system.cpu.utilization', matchers: {}, op: '>', threshold: 0.8, for: 0,
    severity: 'warning', summary: '{{value}}', enabled: true, ...over,
  };
}

test('only enabled rules on the metric give thresholds', () => {
  const on = rule({ threshold: 0.8 });
  const off = rule({ threshold: 0.5, enabled: false });
  const other = rule({ metric: 'system.memory.utilization' });
  assert.deepEqual(rulesOn([on, off, other], 'system.cpu.utilization'), [on]);
  assert.deepEqual(rulesOn([off], 'system.cpu.utilization'), []);
});

test('with attributes given, only rules watching that series count', () => {
  const whole = rule({ matchers: {} });
  const perCore = rule({ matchers: { 'cpu.logical_number': '*' } });
  const core3 = rule({ matchers: { 'cpu.logical_number': '3' } });
  assert.deepEqual(rulesOn([whole, perCore, core3], 'system.cpu.utilization', {}), [whole]);
  assert.deepEqual(rulesOn([whole, perCore, core3], 'system.cpu.utilization', { 'cpu.logical_number': '3' }), [perCore, core3]);
  assert.deepEqual(rulesOn([whole, perCore, core3], 'system.cpu.utilization', { 'cpu.logical_number': '1' }), [perCore]);
  // Without attributes, the matchers are not looked at.
  assert.equal(rulesOn([whole, perCore, core3], 'system.cpu.utilization').length, 3);
});

test('the tone is that of the most severe rule whose condition the value meets', () => {
  const warn = rule({ op: '>', threshold: 0.8, severity: 'warning' });
  const crit = rule({ op: '>', threshold: 0.95, severity: 'critical' });
  const info = rule({ op: '>', threshold: 0.5, severity: 'info' });
  const rules = [crit, warn, info];
  assert.equal(toneFor(rules, 0.4), null);
  assert.equal(toneFor(rules, 0.6), 'info');
  assert.equal(toneFor(rules, 0.9), 'warning');
  assert.equal(toneFor(rules, 0.97), 'critical');
  assert.equal(toneFor([info, crit, warn], 0.97), 'critical', 'order of rules does not matter');
});

test('comparisons follow each rule\'s operator, boundaries included only for >= and <=', () => {
  assert.equal(toneFor([rule({ op: '>', threshold: 0.8 })], 0.8), null);
  assert.equal(toneFor([rule({ op: '>=', threshold: 0.8 })], 0.8), 'warning');
  assert.equal(toneFor([rule({ op: '<', threshold: 0.1, severity: 'critical' })], 0.05), 'critical');
  assert.equal(toneFor([rule({ op: '<=', threshold: 0.1 })], 0.2), null);
});

test('an unknown value has no tone, even when a rule would match zero', () => {
  assert.equal(toneFor([rule({ op: '<', threshold: 0.5 })], undefined), null);
  assert.equal(toneFor([rule({ op: '<', threshold: 0.5 })], 0), 'warning');
});
