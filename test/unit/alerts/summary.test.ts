/** renderSummary: rule summary templates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSummary } from '../../../electron/core/alerts/summary.ts';

const context = {
  value: 0.934, threshold: 0.9, unit: '1' as const, host: 'web-1',
  attributes: { 'system.filesystem.mountpoint': '/var' },
};

test('value and threshold are formatted in the metric unit; host and attributes are filled in', () => {
  assert.equal(
    renderSummary('{{host}}: {{system.filesystem.mountpoint}} is {{value}} full (limit {{ threshold }})', context),
    'web-1: /var is 93% full (limit 90%)',
  );
  assert.equal(
    renderSummary('{{value}} received', { ...context, value: 12.4 * 1024 ** 2, unit: 'By/s' }),
    '12.4 MiB/s received',
  );
});

test('a placeholder that names nothing known is left as written', () => {
  assert.equal(renderSummary('{{mountpoint}} at {{value}}', context), '{{mountpoint}} at 93%');
});
