import { checkInteger, rangeError } from '@aiffel/core';

/** Double-ended queue on a growable ring buffer: O(1) amortised push/pop at both ends, O(1) at(i). */
export class Deque<T> implements Iterable<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(items?: Iterable<T>) {
    this.buf = new Array(16);
    if (items !== undefined) for (const it of items) this.pushBack(it);
  }

  get size(): number {
    return this.count;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  private grow(): void {
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) % old.length];
    this.buf = next;
    this.head = 0;
  }

  pushBack(value: T): number {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = value;
    return ++this.count;
  }

  pushFront(value: T): number {
    if (this.count === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = value;
    return ++this.count;
  }

  popFront(): T | undefined {
    if (this.count === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.count--;
    return v;
  }

  popBack(): T | undefined {
    if (this.count === 0) return undefined;
    const i = (this.head + this.count - 1) % this.buf.length;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.count--;
    return v;
  }

  peekFront(): T | undefined {
    return this.count === 0 ? undefined : this.buf[this.head];
  }

  peekBack(): T | undefined {
    return this.count === 0 ? undefined : this.buf[(this.head + this.count - 1) % this.buf.length];
  }

  /** Item i from the front (negative i counts from the back); throws outside the deque. */
  at(i: number): T {
    if (this.count === 0) throw rangeError('i', 'an index into a non-empty deque', i);
    checkInteger('i', i, -this.count, this.count - 1);
    const k = i < 0 ? this.count + i : i;
    return this.buf[(this.head + k) % this.buf.length] as T;
  }

  clear(): void {
    this.buf = new Array(16);
    this.head = 0;
    this.count = 0;
  }

  toArray(): T[] {
    return Array.from(this);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.count; i++) yield this.buf[(this.head + i) % this.buf.length] as T;
  }
}
