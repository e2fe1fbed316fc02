import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap, Deque, KeyedPriorityQueue, nLargest, nSmallest } from '../src/index.js';

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('push' as const), v: fc.integer({ min: -20, max: 20 }) }),
    fc.record({ kind: fc.constant('pop' as const) }),
    fc.record({ kind: fc.constant('replace' as const), v: fc.integer({ min: -20, max: 20 }) }),
    fc.record({ kind: fc.constant('pushPop' as const), v: fc.integer({ min: -20, max: 20 }) }),
    fc.record({ kind: fc.constant('peek' as const) }),
  ),
  { maxLength: 80 },
);

describe('BinaryHeap', () => {
  it('behaves like a sorted array under random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 })), ops, (init, seq) => {
        const heap = BinaryHeap.heapify(init);
        const model = [...init].sort((a, b) => a - b);
        for (const op of seq) {
          if (op.kind === 'push') {
            heap.push(op.v);
            model.push(op.v);
            model.sort((a, b) => a - b);
          } else if (op.kind === 'pop') {
            if (heap.pop() !== model.shift()) return false;
          } else if (op.kind === 'peek') {
            if (heap.peek() !== model[0]) return false;
          } else if (op.kind === 'replace') {
            if (model.length === 0) {
              expect(() => heap.replace(op.v)).toThrow(/non-empty heap/);
              continue;
            }
            if (heap.replace(op.v) !== model.shift()) return false;
            model.push(op.v);
            model.sort((a, b) => a - b);
          } else {
            model.push(op.v);
            model.sort((a, b) => a - b);
            if (heap.pushPop(op.v) !== model.shift()) return false;
          }
          if (heap.size !== model.length) return false;
        }
        return JSON.stringify([...heap.drain()]) === JSON.stringify(model);
      }),
    );
  });
  it('takes a comparator (max-heap) and rejects a non-function', () => {
    const h = new BinaryHeap<number>((a, b) => b - a);
    h.push(3, 9, 1);
    expect(h.toSortedArray()).toEqual([9, 3, 1]);
    expect(h.pop()).toBe(9);
    expect(new BinaryHeap().pop()).toBeUndefined();
    expect(() => new BinaryHeap(5 as never)).toThrow(/compare must be a function/);
  });
});

describe('KeyedPriorityQueue', () => {
  it('matches a map model under random set / pop / delete (update-key)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 9 }), p: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (seq) => {
        const q = new KeyedPriorityQueue<number>();
        const model = new Map<number, number>();
        for (const o of seq) {
          if (o.kind === 'set') {
            q.set(o.key, o.p);
            model.set(o.key, o.p);
          } else if (o.kind === 'delete') {
            if (q.delete(o.key) !== model.delete(o.key)) return false;
          } else {
            const top = q.pop();
            if (model.size === 0) {
              if (top !== undefined) return false;
              continue;
            }
            const min = Math.min(...model.values());
            if (top === undefined || top[1] !== min || model.get(top[0]) !== min) return false;
            model.delete(top[0]);
          }
          if (q.size !== model.size) return false;
        }
        return true;
      }),
    );
  });
  it('reports priorities and rejects unknown keys', () => {
    const q = new KeyedPriorityQueue<string>();
    q.set('a', 5).set('b', 3).set('a', 1);
    expect(q.peek()).toEqual(['a', 1]);
    expect(q.priority('b')).toBe(3);
    expect(q.get('zz')).toBeUndefined();
    expect(() => q.priority('zz')).toThrow(/key must be a queued key, got "zz"/);
  });
});

describe('nSmallest / nLargest', () => {
  it('equal the head of a stable sort', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.integer({ min: 0, max: 5 }), i: fc.nat() })), fc.nat({ max: 12 }), (items, n) => {
        const cmp = (a: { k: number }, b: { k: number }) => a.k - b.k;
        const small = nSmallest(items, n, cmp);
        const large = nLargest(items, n, cmp);
        return (
          JSON.stringify(small) === JSON.stringify([...items].sort(cmp).slice(0, n)) &&
          JSON.stringify(large) === JSON.stringify([...items].sort((a, b) => b.k - a.k).slice(0, n))
        );
      }),
    );
    expect(nSmallest([5, 1, 4], 10)).toEqual([1, 4, 5]);
    expect(() => nSmallest([1], -1)).toThrow(/n must be an integer >= 0, got -1/);
    expect(() => nLargest(5 as never, 1)).toThrow(/items must be an iterable/);
  });
});

describe('Deque', () => {
  it('behaves like an array under random operations at both ends', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constantFrom('pushBack' as const, 'pushFront' as const), v: fc.integer() }),
      fc.record({ kind: fc.constantFrom('popBack' as const, 'popFront' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (seq) => {
        const d = new Deque<number>();
        const model: number[] = [];
        for (const o of seq) {
          if (o.kind === 'pushBack') {
            d.pushBack(o.v);
            model.push(o.v);
          } else if (o.kind === 'pushFront') {
            d.pushFront(o.v);
            model.unshift(o.v);
          } else if (o.kind === 'popBack') {
            if (d.popBack() !== model.pop()) return false;
          } else if (d.popFront() !== model.shift()) return false;
          if (d.peekFront() !== model[0] || d.peekBack() !== model.at(-1) || d.size !== model.length) return false;
        }
        return JSON.stringify(d.toArray()) === JSON.stringify(model) && (model.length === 0 || d.at(-1) === model.at(-1));
      }),
    );
  });
  it('rejects indexes outside the deque', () => {
    const d = new Deque([1, 2]);
    expect(d.at(1)).toBe(2);
    expect(() => d.at(2)).toThrow(/i must be an integer in \[-2, 1\], got 2/);
    expect(() => new Deque().at(0)).toThrow(/non-empty deque/);
  });
});
