import { checkFunction, rangeError } from '@aiffel/core';
import { ascending, type Compare } from './compare.js';

/**
 * A priority queue of unique keys whose priorities can change (decrease- and increase-key), as
 * Dijkstra, Prim and A* need. Positions are tracked in a Map, so `set` on a queued key moves it
 * in O(log n) instead of leaving a stale duplicate behind.
 */
export class KeyedPriorityQueue<K, P = number> {
  private readonly keys: K[] = [];
  private readonly prios: P[] = [];
  private readonly pos = new Map<K, number>();
  private readonly cmp: Compare<P>;

  constructor(compare: Compare<P> = ascending) {
    this.cmp = checkFunction<Compare<P>>('compare', compare);
  }

  get size(): number {
    return this.keys.length;
  }

  has(key: K): boolean {
    return this.pos.has(key);
  }

  /** The priority of a queued key, or undefined. */
  get(key: K): P | undefined {
    const i = this.pos.get(key);
    return i === undefined ? undefined : this.prios[i];
  }

  /** Inserts `key`, or changes its priority when already queued (update-key). */
  set(key: K, priority: P): this {
    const i = this.pos.get(key);
    if (i === undefined) {
      this.keys.push(key);
      this.prios.push(priority);
      this.pos.set(key, this.keys.length - 1);
      this.up(this.keys.length - 1);
    } else {
      const old = this.prios[i] as P;
      this.prios[i] = priority;
      if (this.cmp(priority, old) < 0) this.up(i);
      else this.down(i);
    }
    return this;
  }

  /** The top entry without removing it. */
  peek(): [K, P] | undefined {
    return this.keys.length === 0 ? undefined : [this.keys[0] as K, this.prios[0] as P];
  }

  /** Removes and returns the top entry. */
  pop(): [K, P] | undefined {
    if (this.keys.length === 0) return undefined;
    const top: [K, P] = [this.keys[0] as K, this.prios[0] as P];
    this.removeAt(0);
    return top;
  }

  /** Removes a queued key; returns whether it was queued. */
  delete(key: K): boolean {
    const i = this.pos.get(key);
    if (i === undefined) return false;
    this.removeAt(i);
    return true;
  }

  /** Priority of `key`; throws when the key is not queued. */
  priority(key: K): P {
    const i = this.pos.get(key);
    if (i === undefined) throw rangeError('key', 'a queued key', key);
    return this.prios[i] as P;
  }

  private removeAt(i: number): void {
    const last = this.keys.length - 1;
    this.pos.delete(this.keys[i] as K);
    if (i !== last) {
      this.keys[i] = this.keys[last] as K;
      this.prios[i] = this.prios[last] as P;
      this.pos.set(this.keys[i] as K, i);
    }
    this.keys.pop();
    this.prios.pop();
    if (i < this.keys.length) {
      this.up(i);
      this.down(i);
    }
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i] as K;
    const p = this.prios[i] as P;
    this.keys[i] = this.keys[j] as K;
    this.prios[i] = this.prios[j] as P;
    this.keys[j] = k;
    this.prios[j] = p;
    this.pos.set(this.keys[i] as K, i);
    this.pos.set(k, j);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(this.prios[i] as P, this.prios[p] as P) >= 0) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) return;
      if (c + 1 < n && this.cmp(this.prios[c + 1] as P, this.prios[c] as P) < 0) c++;
      if (this.cmp(this.prios[c] as P, this.prios[i] as P) >= 0) return;
      this.swap(i, c);
      i = c;
    }
  }
}
