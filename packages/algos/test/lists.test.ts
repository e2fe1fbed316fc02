import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkedList, type ListNode, listFromArray, listToArray, mergeKSortedLists, mergeSorted } from '../src/index.js';

const sortedLists = fc.array(
  fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 15 }).map((a) => a.sort((x, y) => x - y)),
  { maxLength: 8 },
);

describe('LinkedList', () => {
  it('round-trips arrays and iterates', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (a) => JSON.stringify(listToArray(listFromArray(a))) === JSON.stringify(a) && LinkedList.from(a).size === a.length),
    );
    const l = LinkedList.from([1, 2, 3]);
    l.push(4).unshift(0);
    expect([...l]).toEqual([0, 1, 2, 3, 4]);
    expect(l.shift()).toBe(0);
    expect(l.reverse().toArray()).toEqual([4, 3, 2, 1]);
    l.push(9);
    expect(l.toArray()).toEqual([4, 3, 2, 1, 9]);
    expect(LinkedList.fromNodes(listFromArray([5, 6])).size).toBe(2);
    expect(listFromArray([])).toBeNull();
  });
  it('throws on a cycle instead of hanging', () => {
    const head = listFromArray([1, 2, 3, 4]) as ListNode<number>;
    (head.next?.next?.next as ListNode<number>).next = head.next;
    expect(() => listToArray(head)).toThrow(/must not contain a cycle/);
    expect(() => LinkedList.fromNodes(head)).toThrow(/cycle/);
  });
});

describe('mergeKSortedLists', () => {
  it('equals a stable sort of all values and reuses the nodes', () => {
    fc.assert(
      fc.property(sortedLists, (lists) => {
        const heads = lists.map((l) => listFromArray(l));
        const nodes = new Set<ListNode<number>>();
        for (const h of heads) for (let n = h; n; n = n.next) nodes.add(n);
        const merged = mergeKSortedLists(heads);
        const out: number[] = [];
        for (let n = merged; n; n = n.next) {
          expect(nodes.has(n)).toBe(true);
          out.push(n.value);
        }
        return JSON.stringify(out) === JSON.stringify(lists.flat().sort((a, b) => a - b));
      }),
    );
  });
  it('refuses a cyclic list (equal values all round, which passes the sorted check) instead of hanging, before relinking anything', () => {
    const a: ListNode<number> = { value: 1, next: null };
    const b: ListNode<number> = { value: 1, next: a };
    a.next = b;
    const other = listFromArray([0, 2]);
    expect(() => mergeKSortedLists([other, a])).toThrow(/lists\[1\] must not contain a cycle/);
    expect(listToArray(other)).toEqual([0, 2]);
  });

  it('is stable: equal keys keep the order of their lists', () => {
    const a = listFromArray([
      { k: 1, src: 'a' },
      { k: 2, src: 'a' },
    ]);
    const b = listFromArray([
      { k: 1, src: 'b' },
      { k: 2, src: 'b' },
    ]);
    const out = listToArray(mergeKSortedLists([b, a], (x, y) => x.k - y.k)).map((v) => `${v.k}${v.src}`);
    expect(out).toEqual(['1b', '1a', '2b', '2a']);
  });
  it('handles empty input and rejects unsorted lists and bad arguments', () => {
    expect(mergeKSortedLists([])).toBeNull();
    expect(mergeKSortedLists([null, null])).toBeNull();
    expect(() => mergeKSortedLists([listFromArray([1, 3]), listFromArray([5, 2])])).toThrow(/lists\[1\] must be sorted/);
    expect(() => mergeKSortedLists('x' as never)).toThrow(/lists must be an array/);
    expect(() => mergeKSortedLists([5 as never])).toThrow(/lists\[0\] must be a list node or null/);
  });
});

describe('mergeSorted', () => {
  it('equals a stable sort of the inputs', () => {
    fc.assert(fc.property(sortedLists, (lists) => JSON.stringify([...mergeSorted(...lists)]) === JSON.stringify(lists.flat().sort((a, b) => a - b))));
    expect([...mergeSorted(['b', 'd'], ['a', 'c', 'e'])]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...mergeSorted([3, 1], [2], (a: number, b: number) => b - a)]).toEqual([3, 2, 1]);
    expect([...mergeSorted()]).toEqual([]);
  });
  it('is lazy: works on infinite inputs and pulls only what it needs', () => {
    let pulled = 0;
    function* multiples(m: number) {
      for (let i = 0; ; i += m) {
        pulled++;
        yield i;
      }
    }
    const out: number[] = [];
    for (const v of mergeSorted(multiples(2), multiples(3), multiples(5))) {
      if (out.length === 8) break;
      out.push(v);
    }
    expect(out).toEqual([0, 0, 0, 2, 3, 4, 5, 6]);
    expect(pulled).toBeLessThanOrEqual(8 + 3 + 1);
  });
  it('closes every input when the consumer stops early', () => {
    let closed = 0;
    function* gen(a: number[]) {
      try {
        yield* a;
      } finally {
        closed++;
      }
    }
    for (const v of mergeSorted(gen([1, 2, 3]), gen([1, 5]))) if (v === 2) break;
    expect(closed).toBe(2);
  });
  it('is stable across inputs and rejects unsorted or non-iterable inputs', () => {
    const objs = [...mergeSorted([{ k: 1, s: 'x' }], [{ k: 1, s: 'y' }], (a, b) => a.k - b.k)];
    expect(objs.map((o) => o.s)).toEqual(['x', 'y']);
    expect(() => [...mergeSorted([1, 2], [4, 3])]).toThrow(/iterables\[1\] must be sorted/);
    expect(() => mergeSorted([1], 5 as never)).toThrow(/iterables\[1\] must be an iterable, got 5/);
  });
});
