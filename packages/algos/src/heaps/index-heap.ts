/**
 * A min-heap of small integer ids (the inputs of a k-way merge) ordered by `before(a, b)`, which
 * reads each id's current head. The merges keep their heads elsewhere and call `siftTop` after
 * advancing the top input, which is all a k-way merge needs: one sift per item, O(log k).
 */
export class IndexHeap {
  readonly ids: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.ids.length;
  }

  /** The id at the top; the heap must not be empty. */
  top(): number {
    return this.ids[0] as number;
  }

  push(id: number): void {
    const ids = this.ids;
    let i = ids.length;
    ids.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(id, ids[p] as number)) break;
      ids[i] = ids[p] as number;
      i = p;
    }
    ids[i] = id;
  }

  /** Restores order after the top id's head changed. */
  siftTop(): void {
    this.down(0);
  }

  /** Removes the top id (its input is exhausted). */
  removeTop(): void {
    const last = this.ids.pop() as number;
    if (this.ids.length > 0) {
      this.ids[0] = last;
      this.down(0);
    }
  }

  private down(i: number): void {
    const ids = this.ids;
    const n = ids.length;
    const x = ids[i] as number;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(ids[c + 1] as number, ids[c] as number)) c++;
      if (!this.before(ids[c] as number, x)) break;
      ids[i] = ids[c] as number;
      i = c;
    }
    ids[i] = x;
  }
}
