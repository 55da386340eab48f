/** The retention form's model: typed day counts → Retention, and the message shown next to each field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formFromRetention, validate } from '../../../renderer/src/views/settings/retentionForm.ts';

const defaults = { rawDays: 14, minuteDays: 90, hourDays: 730 };

test('the stored retention round-trips through the form', () => {
  assert.deepEqual(validate(formFromRetention(defaults)), { retention: defaults, issues: {} });
  assert.deepEqual(validate({ rawDays: ' 30 ', minuteDays: '120', hourDays: '1000' }).retention, { rawDays: 30, minuteDays: 120, hourDays: 1000 });
});

test('the schema’s own messages show as they are', () => {
  const { retention, issues } = validate({ rawDays: '0', minuteDays: '0', hourDays: '-3' });
  assert.equal(retention, null);
  assert.deepEqual(issues, {
    rawDays: 'Keep raw samples at least a day',
    minuteDays: 'Keep 1-minute rollups at least a day',
    hourDays: 'Keep 1-hour rollups at least a day',
  });
});

test('empty, fractional and too long periods say what to type', () => {
  const { retention, issues } = validate({ rawDays: '', minuteDays: '1.5', hourDays: '40000' });
  assert.equal(retention, null);
  assert.deepEqual(issues, { rawDays: 'Enter a number of days', minuteDays: 'Enter whole days', hourDays: 'At most 36600 days' });
  assert.deepEqual(validate({ ...formFromRetention(defaults), rawDays: '3661' }).issues, { rawDays: 'At most 3660 days' });
});
