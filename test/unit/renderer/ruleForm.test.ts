/** The rule form's model: % ↔ ratio, "5m" ↔ 300 s, and the messages shown next to each field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ruleExpression } from '../../../shared/rules.ts';
import { DEFAULT_RULES, RuleSpec, type Rule } from '../../../shared/rules.ts';
import {
  defaultMatchers, emptyForm, formFromRule, isRatio, validate, type RuleForm,
} from '../../../renderer/src/views/rules/ruleForm.ts';
import { metricDefinition } from '../../../shared/metrics.ts';

const form = (over: Partial<RuleForm>): RuleForm => ({ ...emptyForm(), name: 'CPU busy', ...over });
const asRule = (spec: RuleSpec, id = 1): Rule => ({ id, ...spec });

test('a new form is a valid rule: CPU above 80% for 5 minutes, whole CPU only', () => {
  const { spec, issues } = validate({ ...emptyForm(), name: 'CPU' });
  assert.deepEqual(issues, {});
  assert.deepEqual(spec, {
    name: 'CPU', metric: 'system.cpu.utilization', matchers: {}, op: '>', threshold: 0.8, for: 300,
    severity: 'warning', summary: '{{value}}', enabled: true,
  });
});

test('a percentage typed for a ratio metric becomes a ratio: "85" → 0.85', () => {
  assert.equal(validate(form({ threshold: '85' })).spec?.threshold, 0.85);
  assert.equal(validate(form({ threshold: ' 7 ' })).spec?.threshold, 0.07);
  assert.equal(validate(form({ threshold: '12.5' })).spec?.threshold, 0.125);
  assert.equal(validate(form({ threshold: '0' })).spec?.threshold, 0);
  assert.equal(validate(form({ threshold: '100' })).spec?.threshold, 1);
});

test('a stored ratio shows as a percentage without float noise: 0.07 → "7", 0.29 → "29"', () => {
  const base = DEFAULT_RULES[0]!;
  const shown = (threshold: number) => formFromRule(asRule({ ...base, threshold })).threshold;
  assert.equal(shown(0.07), '7'); // 0.07 * 100 is 7.000000000000001
  assert.equal(shown(0.29), '29'); // 0.29 * 100 is 28.999999999999996
  assert.equal(shown(0.145), '14.5');
  assert.equal(shown(0.8), '80');
  assert.equal(shown(1), '100');
});

test('percentages with up to 4 decimals survive form → rule → form unchanged (property)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (k) => {
    const typed = String(k / 10_000);
    const { spec } = validate(form({ threshold: typed }));
    assert.ok(spec, typed);
    assert.ok(spec.threshold >= 0 && spec.threshold <= 1);
    assert.equal(formFromRule(asRule(spec)).threshold, typed);
  }));
});

test('thresholds of metrics that are not ratios are taken as typed', () => {
  assert.equal(isRatio(metricDefinition('system.cpu.load_average.1m')), false);
  const { spec } = validate(form({ metric: 'system.cpu.load_average.1m', matchers: {}, threshold: '2.5' }));
  assert.equal(spec?.threshold, 2.5);
  assert.equal(formFromRule(asRule(spec!)).threshold, '2.5');
  const big = validate(form({ metric: 'system.network.io', matchers: defaultMatchers('system.network.io'), threshold: '150' }));
  assert.equal(big.spec?.threshold, 150, 'no 0–100 limit outside percentages');
});

test('a threshold that is not a number, or a percentage outside 0–100, is refused with a message', () => {
  for (const threshold of ['', '  ', 'abc', '80%', 'Infinity']) {
    const { spec, issues } = validate(form({ threshold }));
    assert.equal(spec, null, threshold);
    assert.equal(issues.threshold, 'Enter the threshold as a number', threshold);
  }
  for (const threshold of ['101', '-1']) {
    const { spec, issues } = validate(form({ threshold }));
    assert.equal(spec, null, threshold);
    assert.equal(issues.threshold, 'A percentage is between 0 and 100', threshold);
  }
});

test('`for` is read as a duration, and a bad one is refused with an example', () => {
  assert.equal(validate(form({ for: '1h30m' })).spec?.for, 5400);
  assert.equal(validate(form({ for: '90s' })).spec?.for, 90);
  assert.equal(validate(form({ for: '0' })).spec?.for, 0);
  const { spec, issues } = validate(form({ for: 'soon' }));
  assert.equal(spec, null);
  assert.equal(issues.for, 'Write it like 30s, 5m or 1h');
  assert.deepEqual(Object.keys(issues), ['for'], 'only the field at fault gets a message');
});

test('zod\'s messages are shown next to the field they belong to', () => {
  const zodMessage = (input: object, field: string) =>
    RuleSpec.safeParse({ ...validate(form({})).spec, ...input }).error?.issues.find((i) => i.path[0] === field)?.message;

  const blank = validate(form({ name: '   ' }));
  assert.equal(blank.spec, null);
  assert.equal(blank.issues.name, 'Give the rule a name');

  const unknown = validate(form({ metric: 'system.cpu.nonsense' }));
  assert.equal(unknown.spec, null);
  assert.equal(unknown.issues.metric, 'Unknown metric: pick one from the catalog');

  const tooLong = validate(form({ for: '8d' })); // parses, but over the 7-day limit
  assert.equal(tooLong.spec, null);
  assert.ok(tooLong.issues.for);
  assert.equal(tooLong.issues.for, zodMessage({ for: 8 * 86400 }, 'for'));

  const both = validate(form({ name: '', threshold: 'x' }));
  assert.deepEqual(Object.keys(both.issues).sort(), ['name', 'threshold']);
  assert.equal(both.issues.threshold, 'Enter the threshold as a number', 'the form\'s own message is kept');
});

test('matchers: "" leaves the attribute out, "*" and values are kept, attributes of another metric are dropped', () => {
  const mp = 'system.filesystem.mountpoint';
  assert.deepEqual(defaultMatchers('system.cpu.utilization'), { 'cpu.logical_number': '' });
  assert.deepEqual(defaultMatchers('system.filesystem.utilization'), { [mp]: '*' });
  assert.deepEqual(defaultMatchers('system.memory.utilization'), {});

  const fs = validate(form({ metric: 'system.filesystem.utilization', matchers: { [mp]: '/data', 'cpu.logical_number': '3' } }));
  assert.deepEqual(fs.spec?.matchers, { [mp]: '/data' });
  const any = validate(form({ metric: 'system.filesystem.utilization', matchers: { [mp]: '*' } }));
  assert.deepEqual(any.spec?.matchers, { [mp]: '*' });
  const perCore = validate(form({ matchers: { 'cpu.logical_number': '*' } }));
  assert.deepEqual(perCore.spec?.matchers, { 'cpu.logical_number': '*' });
  assert.deepEqual(validate(form({})).spec?.matchers, {});
});

test('a blank summary uses the default, and the default shows as blank in the form', () => {
  assert.equal(validate(form({ summary: '   ' })).spec?.summary, '{{value}}');
  assert.equal(validate(form({ summary: 'Busy: {{value}}' })).spec?.summary, 'Busy: {{value}}');
  assert.equal(formFromRule(asRule({ ...DEFAULT_RULES[0]!, summary: '{{value}}' })).summary, '');
});

test('every default rule opens in the form and saves back unchanged', () => {
  DEFAULT_RULES.forEach((rule, i) => {
    const f = formFromRule(asRule(rule, i + 1));
    const { spec, issues } = validate(f);
    assert.deepEqual(issues, {}, rule.name);
    assert.deepEqual(spec, rule, rule.name);
  });
  assert.equal(formFromRule(asRule(DEFAULT_RULES[0]!)).for, '5m');
  assert.equal(formFromRule(asRule(DEFAULT_RULES[2]!)).matchers['system.filesystem.mountpoint'], '*');
});

test('a rule reads as one line with its unit, matchers and duration', () => {
  assert.equal(ruleExpression(DEFAULT_RULES[0]!), 'system.cpu.utilization > 80% for 5m');
  assert.equal(ruleExpression(DEFAULT_RULES[2]!), 'system.filesystem.utilization{system.filesystem.mountpoint="*"} > 90%');
  assert.equal(
    ruleExpression({ metric: 'system.network.io', matchers: {}, op: '>=', threshold: 10 * 1024 ** 2, for: 90 }),
    'system.network.io >= 10.0 MiB/s for 1m30s',
  );
});
