import { typeError } from '@aiffel/core';

/** A singly linked list node, the shape interview problems use (`val` is `value` here). */
export interface ListNode<T> {
  value: T;
  next: ListNode<T> | null;
}

export function listNode<T>(value: T, next: ListNode<T> | null = null): ListNode<T> {
  return { value, next };
}

/** Builds a chain of nodes from an iterable; null for an empty one. */
export function listFromArray<T>(items: Iterable<T>): ListNode<T> | null {
  if (items === null || typeof (items as Iterable<T>)?.[Symbol.iterator] !== 'function') throw typeError('items', 'an iterable', items);
  const dummy = listNode<T>(undefined as T);
  let tail = dummy;
  for (const v of items) {
    tail.next = listNode(v);
    tail = tail.next;
  }
  return dummy.next;
}

/** The values of a chain, head first. Throws on a cycle instead of looping forever. */
export function listToArray<T>(head: ListNode<T> | null): T[] {
  const out: T[] = [];
  for (const v of iterateList(head)) out.push(v);
  return out;
}

/**
 * Iterates a chain's values. Brent's cycle check runs alongside (O(1) memory), so a cyclic list
 * throws a RangeError rather than hanging the process.
 */
export function* iterateList<T>(head: ListNode<T> | null): Generator<T, void, undefined> {
  let node = head;
  let mark = head;
  let power = 1;
  let steps = 0;
  while (node !== null) {
    yield node.value;
    node = node.next;
    if (node !== null && node === mark) throw new RangeError('list must not contain a cycle');
    if (++steps === power) {
      mark = node;
      power *= 2;
      steps = 0;
    }
  }
}

/** A typed singly linked list with O(1) push at both ends and iteration. */
export class LinkedList<T> implements Iterable<T> {
  head: ListNode<T> | null = null;
  private tail: ListNode<T> | null = null;
  private count = 0;

  static from<T>(items: Iterable<T>): LinkedList<T> {
    const list = new LinkedList<T>();
    if (items === null || typeof (items as Iterable<T>)?.[Symbol.iterator] !== 'function') throw typeError('items', 'an iterable', items);
    for (const v of items) list.push(v);
    return list;
  }

  /** Wraps an existing chain (its length is counted once, cycles are rejected). */
  static fromNodes<T>(head: ListNode<T> | null): LinkedList<T> {
    const list = new LinkedList<T>();
    let n = 0;
    for (const _ of iterateList(head)) n++;
    list.head = head;
    list.count = n;
    let t = head;
    while (t?.next) t = t.next;
    list.tail = t;
    return list;
  }

  get size(): number {
    return this.count;
  }

  push(value: T): this {
    const node = listNode(value);
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
    return this;
  }

  unshift(value: T): this {
    this.head = listNode(value, this.head);
    if (this.tail === null) this.tail = this.head;
    this.count++;
    return this;
  }

  shift(): T | undefined {
    const h = this.head;
    if (h === null) return undefined;
    this.head = h.next;
    if (this.head === null) this.tail = null;
    this.count--;
    return h.value;
  }

  /** Reverses the links in place, O(n) time, O(1) memory. */
  reverse(): this {
    let prev: ListNode<T> | null = null;
    let node = this.head;
    this.tail = node;
    while (node !== null) {
      const next: ListNode<T> | null = node.next;
      node.next = prev;
      prev = node;
      node = next;
    }
    this.head = prev;
    return this;
  }

  toArray(): T[] {
    return listToArray(this.head);
  }

  [Symbol.iterator](): Iterator<T> {
    return iterateList(this.head);
  }
}
