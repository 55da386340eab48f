/**
 * The alert evaluator, in the style of Prometheus's rules/alerting_test.go: series written in a tiny
 * notation, run one evaluation a second, and compared with a table of (time → states, transitions).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from '../../../shared/api.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';
import type { Rule } from '../../../shared/rules.ts';
import { evaluate, type ActiveAlert } from '../../../electron/core/alerts/evaluator.ts';

const T0 = 1_750_000_000_000;
const FS = 'system.filesystem.utilization';
const MOUNT = 'system.filesystem.mountpoint';
const CPU = 'system.cpu.utilization';
const CORE = 'cpu.logical_number';

/**
 * One value a second from T0, in percent (the stored ratio × 100), as in Prometheus's promql tests:
 * "75 85 70" three samples; "10x3" 10 three times; "_" no sample that second (source failed or host
 * unreachable); "_x2" two such seconds; "NaN" a value that is not a number.
 */
function parseSeries(notation: string): (number | undefined)[] {
  const values: (number | undefined)[] = [];
  for (const token of notation.trim().split(/\s+/)) {
    const [value, times = '1'] = token.split('x') as [string, string?];
    for (let i = 0; i < Number(times); i++) values.push(value === '_' ? undefined : Number(value) / 100);
  }
  return values;
}

type State = 'inactive' | 'pending' | 'firing';

interface Row {
  /** Seconds since T0. */
  t: number;
  /** State of each series, by label. */
  states: Record<string, State>;
  /** Transitions of this evaluation, "kind label". */
  events?: string[];
}

interface Case {
  name: string;
  /** Changes to the default rule: filesystem utilization > 80% on every mountpoint, for 0 s. */
  rule?: Partial<Rule>;
  metric?: string;
  /** The attribute a series label is the value of; '' is a series without attributes. */
  attribute?: string;
  series: Record<string, string>;
  /** Seconds from which the rule is disabled. */
  disabledFrom?: number;
  timeline: Row[];
}

const baseRule: Rule = {
  id: 1, name: 'Filesystem almost full', metric: FS, matchers: { [MOUNT]: '*' }, op: '>', threshold: 0.8,
  for: 0, severity: 'critical', summary: '{{system.filesystem.mountpoint}} is {{value}} full', enabled: true,
};

function run(c: Case): Row[] {
  const metric = c.metric ?? c.rule?.metric ?? FS;
  const attribute = c.attribute ?? MOUNT;
  const attributesOf = (label: string): Attributes => (label === '' ? {} : { [attribute]: label });
  const labelOf = (attributes: Attributes) => attributes[attribute] ?? '';
  const series = Object.entries(c.series).map(([label, notation]) => ({ label, values: parseSeries(notation) }));
  const steps = Math.max(...series.map((s) => s.values.length));
  const rows: Row[] = [];
  let active: ReadonlyMap<string, ActiveAlert> = new Map();
  for (let t = 0; t < steps; t++) {
    const samples: Sample[] = [];
    for (const { label, values } of series) {
      const value = values[t];
      if (value !== undefined) samples.push({ metric, attributes: attributesOf(label), value });
    }
    const enabled = c.disabledFrom === undefined || t < c.disabledFrom;
    const rule = { ...baseRule, ...c.rule, enabled };
    const result = evaluate(rule, 'local', samples, active, T0 + t * 1000);
    active = result.active;
    const states: Record<string, State> = {};
    for (const { label } of series) {
      states[label] = active.get(seriesKey(metric, attributesOf(label)))?.state ?? 'inactive';
    }
    const events = result.transitions.map((tr) => `${tr.kind} ${labelOf(tr.alert.attributes)}`.trim());
    rows.push(events.length > 0 ? { t, states, events } : { t, states });
  }
  return rows;
}

const cases: Case[] = [
  {
    name: 'pending until the condition has held `for` seconds, then firing, then resolved',
    rule: { for: 2 },
    series: { '/': '75 85 90 95 70' },
    timeline: [
      { t: 0, states: { '/': 'inactive' } },
      { t: 1, states: { '/': 'pending' }, events: ['pending /'] },
      { t: 2, states: { '/': 'pending' } },
      { t: 3, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 4, states: { '/': 'inactive' }, events: ['resolved /'] },
    ],
  },
  {
    name: 'for = 0 fires in the evaluation where the condition first holds, with no pending step',
    series: { '/': '75 85 90 70' },
    timeline: [
      { t: 0, states: { '/': 'inactive' } },
      { t: 1, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 2, states: { '/': 'firing' } },
      { t: 3, states: { '/': 'inactive' }, events: ['resolved /'] },
    ],
  },
  {
    name: 'a pending alert whose condition clears is dropped, never resolved',
    rule: { for: 5 },
    series: { '/': '85 90 70 75' },
    timeline: [
      { t: 0, states: { '/': 'pending' }, events: ['pending /'] },
      { t: 1, states: { '/': 'pending' } },
      { t: 2, states: { '/': 'inactive' }, events: ['dropped /'] },
      { t: 3, states: { '/': 'inactive' } },
    ],
  },
  {
    name: 'flapping: each return of the condition starts a new alert',
    rule: { for: 1 },
    series: { '/': '85 90 70 85 90 70' },
    timeline: [
      { t: 0, states: { '/': 'pending' }, events: ['pending /'] },
      { t: 1, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 2, states: { '/': 'inactive' }, events: ['resolved /'] },
      { t: 3, states: { '/': 'pending' }, events: ['pending /'] },
      { t: 4, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 5, states: { '/': 'inactive' }, events: ['resolved /'] },
    ],
  },
  {
    name: 'a series missing from a snapshot keeps its state: missing data resolves nothing',
    rule: { for: 2 },
    series: { '/': '85 _x3 90 70 _ 10' },
    timeline: [
      { t: 0, states: { '/': 'pending' }, events: ['pending /'] },
      { t: 1, states: { '/': 'pending' } },
      { t: 2, states: { '/': 'pending' } },
      { t: 3, states: { '/': 'pending' } },
      // Held since t 0 as far as anyone saw: fires on the next sample that holds.
      { t: 4, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 5, states: { '/': 'inactive' }, events: ['resolved /'] },
      { t: 6, states: { '/': 'inactive' } },
      { t: 7, states: { '/': 'inactive' } },
    ],
  },
  {
    name: 'each series has its own alert: two mountpoints fire and resolve independently',
    rule: { for: 1 },
    series: { '/': '95 95 95 50', '/home': '50 95 95 95' },
    timeline: [
      { t: 0, states: { '/': 'pending', '/home': 'inactive' }, events: ['pending /'] },
      { t: 1, states: { '/': 'firing', '/home': 'pending' }, events: ['firing /', 'pending /home'] },
      { t: 2, states: { '/': 'firing', '/home': 'firing' }, events: ['firing /home'] },
      { t: 3, states: { '/': 'inactive', '/home': 'firing' }, events: ['resolved /'] },
    ],
  },
  {
    name: 'a matcher with a value watches only that series',
    rule: { matchers: { [MOUNT]: '/home' } },
    series: { '/': '95 95', '/home': '50 95' },
    timeline: [
      { t: 0, states: { '/': 'inactive', '/home': 'inactive' } },
      { t: 1, states: { '/': 'inactive', '/home': 'firing' }, events: ['firing /home'] },
    ],
  },
  {
    name: 'a rule without matchers watches the series without attributes, not each core',
    rule: { metric: CPU, matchers: {}, threshold: 0.9 },
    attribute: CORE,
    series: { '': '50 95', '0': '99 99', '1': '99 99' },
    timeline: [
      { t: 0, states: { '': 'inactive', '0': 'inactive', '1': 'inactive' } },
      { t: 1, states: { '': 'firing', '0': 'inactive', '1': 'inactive' }, events: ['firing'] },
    ],
  },
  {
    name: 'a * matcher watches every core, one alert each, and not the total',
    rule: { metric: CPU, matchers: { [CORE]: '*' }, threshold: 0.9 },
    attribute: CORE,
    series: { '': '99 99', '0': '99 50', '1': '50 99' },
    timeline: [
      { t: 0, states: { '': 'inactive', '0': 'firing', '1': 'inactive' }, events: ['firing 0'] },
      { t: 1, states: { '': 'inactive', '0': 'inactive', '1': 'firing' }, events: ['resolved 0', 'firing 1'] },
    ],
  },
  {
    name: 'only the rule\'s metric counts, even when samples of other metrics carry the same attributes',
    metric: 'system.filesystem.usage',
    series: { '/': '99 99' },
    timeline: [
      { t: 0, states: { '/': 'inactive' } },
      { t: 1, states: { '/': 'inactive' } },
    ],
  },
  {
    name: 'the comparison is the rule\'s: >= holds at the threshold, NaN holds for nothing',
    rule: { op: '>=' },
    series: { '/': '79 80 NaN 80' },
    timeline: [
      { t: 0, states: { '/': 'inactive' } },
      { t: 1, states: { '/': 'firing' }, events: ['firing /'] },
      { t: 2, states: { '/': 'inactive' }, events: ['resolved /'] },
      { t: 3, states: { '/': 'firing' }, events: ['firing /'] },
    ],
  },
  {
    name: 'a disabled rule raises nothing, resolves its firing alerts and drops its pending ones',
    rule: { for: 2 },
    series: { '/': '95 95 95 95 95 95', '/home': '50 50 95 95 95 95' },
    disabledFrom: 3,
    timeline: [
      { t: 0, states: { '/': 'pending', '/home': 'inactive' }, events: ['pending /'] },
      { t: 1, states: { '/': 'pending', '/home': 'inactive' } },
      { t: 2, states: { '/': 'firing', '/home': 'pending' }, events: ['firing /', 'pending /home'] },
      { t: 3, states: { '/': 'inactive', '/home': 'inactive' }, events: ['resolved /', 'dropped /home'] },
      { t: 4, states: { '/': 'inactive', '/home': 'inactive' } },
      { t: 5, states: { '/': 'inactive', '/home': 'inactive' } },
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(run(c), c.timeline);
  });
}

// Timestamps, values and identity, which the tables above do not show.

const at = (s: number) => T0 + s * 1000;
const root = (value: number): Sample[] => [{ metric: FS, attributes: { [MOUNT]: '/' }, value }];
const KEY = seriesKey(FS, { [MOUNT]: '/' });

test('a firing alert carries activeAt, firedAt, the last value that held, and a rendered summary', () => {
  const rule = { ...baseRule, for: 1 };
  let r = evaluate(rule, 'web-1', root(0.85), new Map(), at(0));
  r = evaluate(rule, 'web-1', root(0.93), r.active, at(1));
  const alert = r.active.get(KEY);
  assert.deepEqual(alert, {
    id: null, ruleId: 1, ruleName: 'Filesystem almost full', host: 'web-1', metric: FS,
    attributes: { [MOUNT]: '/' }, severity: 'critical', state: 'firing', value: 0.93, threshold: 0.8,
    summary: '/ is 93% full', activeAt: at(0), firedAt: at(1), resolvedAt: null,
  });
  assert.equal(r.transitions[0]?.alert, alert);
});

test('resolving sets resolvedAt to now and keeps the last value that held, not the one that cleared it', () => {
  let r = evaluate(baseRule, 'local', root(0.95), new Map(), at(0));
  r = evaluate(baseRule, 'local', root(0.5), r.active, at(7));
  assert.equal(r.active.size, 0);
  const [resolved] = r.transitions;
  assert.equal(resolved?.kind, 'resolved');
  assert.equal(resolved?.alert.state, 'resolved');
  assert.equal(resolved?.alert.resolvedAt, at(7));
  assert.equal(resolved?.alert.firedAt, at(0));
  assert.equal(resolved?.alert.value, 0.95);
});

test('the id a caller sets on a new alert is carried by later evaluations and onto its resolution', () => {
  let r = evaluate(baseRule, 'local', root(0.95), new Map(), at(0));
  r.transitions[0]!.alert.id = 17;
  r = evaluate(baseRule, 'local', root(0.96), r.active, at(1));
  assert.equal(r.active.get(KEY)?.id, 17);
  r = evaluate(baseRule, 'local', root(0.1), r.active, at(2));
  assert.equal(r.transitions[0]?.alert.id, 17);
});

test('after flapping, the alert that fires again is a new one: new activeAt, no id', () => {
  let r = evaluate(baseRule, 'local', root(0.95), new Map(), at(0));
  r.transitions[0]!.alert.id = 1;
  r = evaluate(baseRule, 'local', root(0.5), r.active, at(1));
  r = evaluate(baseRule, 'local', root(0.95), r.active, at(2));
  const again = r.active.get(KEY);
  assert.equal(again?.activeAt, at(2));
  assert.equal(again?.firedAt, at(2));
  assert.equal(again?.id, null);
});

test('evaluate leaves the map it is given as it was', () => {
  const rule = { ...baseRule, for: 10 };
  const first = evaluate(rule, 'local', root(0.95), new Map(), at(0));
  const before = structuredClone([...first.active]);
  evaluate(rule, 'local', root(0.2), first.active, at(1));
  evaluate({ ...rule, enabled: false }, 'local', [], first.active, at(1));
  assert.deepEqual([...first.active], before);
});

test('an alert of a series the rule no longer watches (matchers edited) resolves at the next evaluation', () => {
  let r = evaluate(baseRule, 'local', root(0.95), new Map(), at(0));
  const edited = { ...baseRule, matchers: { [MOUNT]: '/home' } };
  r = evaluate(edited, 'local', root(0.95), r.active, at(1));
  assert.deepEqual(r.transitions.map((tr) => tr.kind), ['resolved']);
  assert.equal(r.active.size, 0);
});

test('threshold and summary follow an edited rule while the alert stays active', () => {
  let r = evaluate(baseRule, 'local', root(0.95), new Map(), at(0));
  const edited = { ...baseRule, threshold: 0.9, summary: 'Root at {{value}} of {{threshold}}' };
  r = evaluate(edited, 'local', root(0.95), r.active, at(1));
  assert.deepEqual(r.transitions, []);
  assert.equal(r.active.get(KEY)?.threshold, 0.9);
  assert.equal(r.active.get(KEY)?.summary, 'Root at 95% of 90%');
  assert.equal(r.active.get(KEY)?.activeAt, at(0));
});
