/** The ring buffer behind live chart series: bounded, newest kept, oldest-first order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RingBuffer } from '../../../renderer/src/lib/ringBuffer.ts';

test('a ring buffer rejects a capacity that is not a positive integer', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new RingBuffer(bad), RangeError, `capacity ${bad}`);
  }
});

test('pushing past capacity drops the oldest items and keeps the newest, oldest first', () => {
  const ring = new RingBuffer<number>(3);
  for (const n of [1, 2, 3, 4, 5]) ring.push(n);
  assert.equal(ring.length, 3);
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
  assert.equal(ring.at(0), 3);
  assert.equal(ring.at(-1), 5);
});

test('never holds more than its capacity and always holds the last items pushed (property)', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 100 }), (capacity, items) => {
    const ring = new RingBuffer<number>(capacity);
    for (const item of items) {
      ring.push(item);
      assert.ok(ring.length <= capacity);
    }
    const expected = items.slice(-capacity);
    assert.equal(ring.length, expected.length);
    assert.deepEqual(ring.toArray(), expected);
    assert.equal(ring.at(-1), expected.at(-1));
    assert.equal(ring.at(0), expected[0]);
  }));
});

test('at() is undefined outside the held items, from either end', () => {
  const ring = new RingBuffer<string>(4);
  assert.equal(ring.at(0), undefined);
  assert.equal(ring.at(-1), undefined);
  ring.push('a');
  ring.push('b');
  assert.equal(ring.at(2), undefined);
  assert.equal(ring.at(-3), undefined);
  assert.equal(ring.at(-2), 'a');
});

test('replaceLast() replaces the newest item after wrap-around and is a no-op when empty', () => {
  const ring = new RingBuffer<number>(2);
  ring.replaceLast(9);
  assert.deepEqual(ring.toArray(), []);
  for (const n of [1, 2, 3]) ring.push(n);
  ring.replaceLast(30);
  assert.deepEqual(ring.toArray(), [2, 30]);
  assert.equal(ring.length, 2);
});

test('dropWhile() drops only the leading run of old items, across the wrap-around', () => {
  const ring = new RingBuffer<number>(4);
  for (const n of [1, 2, 3, 4, 5, 6]) ring.push(n); // holds 3 4 5 6, wrapped
  ring.dropWhile((n) => n < 5);
  assert.deepEqual(ring.toArray(), [5, 6]);
  ring.push(7);
  ring.push(8);
  ring.push(9); // full again: 6 7 8 9
  assert.deepEqual(ring.toArray(), [6, 7, 8, 9]);
  ring.dropWhile((n) => n % 2 === 0); // stops at 7 even though 8 is even
  assert.deepEqual(ring.toArray(), [7, 8, 9]);
  ring.dropWhile(() => true);
  assert.equal(ring.length, 0);
  assert.equal(ring.at(-1), undefined);
});

test('clear() empties the buffer and it fills again from scratch', () => {
  const ring = new RingBuffer<number>(3);
  for (const n of [1, 2, 3, 4]) ring.push(n);
  ring.clear();
  assert.equal(ring.length, 0);
  assert.deepEqual(ring.toArray(), []);
  ring.push(10);
  assert.deepEqual(ring.toArray(), [10]);
});

test('toArray() returns a copy: changing it does not change the buffer', () => {
  const ring = new RingBuffer<number>(3);
  ring.push(1);
  const copy = ring.toArray();
  copy.push(99);
  assert.deepEqual(ring.toArray(), [1]);
});
