/**
 * A fixed-capacity ring buffer: pushing past capacity drops the oldest item. Live chart series use it
 * so a view left open for days holds as many points as it shows, not every sample ever received.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: (T | undefined)[];
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number { return this.#length; }

  push(item: T): void {
    const end = (this.#start + this.#length) % this.capacity;
    this.#items[end] = item;
    if (this.#length < this.capacity) this.#length++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The item `i` places from the oldest (negative: from the newest, -1 is the newest). */
  at(i: number): T | undefined {
    const idx = i < 0 ? this.#length + i : i;
    if (idx < 0 || idx >= this.#length) return undefined;
    return this.#items[(this.#start + idx) % this.capacity];
  }

  /** Replaces the newest item (no-op when empty). */
  replaceLast(item: T): void {
    if (this.#length === 0) return;
    this.#items[(this.#start + this.#length - 1) % this.capacity] = item;
  }

  /** Drops items from the oldest end while `pred` holds. */
  dropWhile(pred: (item: T) => boolean): void {
    while (this.#length > 0) {
      const first = this.#items[this.#start] as T;
      if (!pred(first)) break;
      this.#items[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.capacity;
      this.#length--;
    }
  }

  clear(): void {
    this.#items = new Array<T | undefined>(this.capacity);
    this.#start = 0;
    this.#length = 0;
  }

  /** A copy, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#items[(this.#start + i) % this.capacity] as T;
    return out;
  }
}
