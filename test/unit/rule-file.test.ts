/** Rules files checked with the place of each problem (`hostwatch rules test`), and read when valid. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRuleFile, problemLine } from '../../electron/core/cli/rule-file.ts';

const where = (text: string) => checkRuleFile(text).problems.map((p) => problemLine('rules.yaml', p));

test('a valid file: its rules, `for` as a duration, no problem', () => {
  const { specs, problems } = checkRuleFile([
    'rules:',
    '  - name: CPU',
    '    metric: system.cpu.utilization',
    '    op: ">"',
    '    threshold: 0.9',
    '    for: 5m',
    '  - { name: Disk, metric: system.filesystem.utilization, matchers: { system.filesystem.mountpoint: "*" }, op: ">", threshold: 0.95 }',
  ].join('\n'));
  assert.deepEqual(problems, []);
  assert.deepEqual(specs.map((s) => [s.name, s.for, s.severity]), [['CPU', 300, 'warning'], ['Disk', 0, 'warning']]);
  assert.equal(checkRuleFile('- { name: A, metric: up, op: "<", threshold: 1 }').specs.length, 1, 'a bare list too');
});

test('each problem at its line and column, with the rule and the field', () => {
  assert.deepEqual(where([
    'rules:',
    '  - name: CPU',
    '    metric: system.cpu.utilization',
    '    op: ">>"',
    '    threshold: high',
    '  - metric: system.memory.utilization',
    '    op: "<"',
    '    threshold: 0.1',
    '  - name: Disk',
    '    metric: system.filesystem.utilization',
    '    matchers: { system.filesystem.mountpoint: "*", nope: x }',
    '    op: ">"',
    '    threshold: 0.9',
  ].join('\n')), [
    'rules.yaml:4:9: rule 1 (CPU): op: Invalid option: expected one of ">"|">="|"<"|"<="',
    'rules.yaml:5:16: rule 1 (CPU): threshold: Invalid input: expected number, received string',
    'rules.yaml:6:5: rule 2: name: Invalid input: expected string, received undefined',
    'rules.yaml:11:58: rule 3 (Disk): matchers.nope: system.filesystem.utilization has no attribute nope',
  ]);
});

test('the same name twice, a YAML syntax error, a file of another shape', () => {
  assert.deepEqual(where('- { name: A, metric: up, op: "<", threshold: 1 }\n- { name: A, metric: up, op: "<", threshold: 1 }\n'),
    ['rules.yaml:2:11: rule 2 (A): name: rule 1 has the same name']);
  assert.match(where('rules:\n  - name: x\n    metric: [unclosed\n')[0]!, /^rules\.yaml:\d+:\d+: .*\S/);
  assert.deepEqual(where('threshold: 3\n'), ['rules.yaml:1:1: expected a list of rules, or rules: followed by one']);
  assert.deepEqual(where(''), ['rules.yaml:1:1: expected a list of rules, or rules: followed by one']);
});
