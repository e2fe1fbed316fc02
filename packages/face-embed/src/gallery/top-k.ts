/**
 * Keeps the k smallest (value, index) pairs seen, as a max-heap on value (ties: larger index is
 * "worse", so results are deterministic). Fixed storage; `push` is O(log k).
 */
export class TopK {
  readonly values: Float64Array;
  readonly indices: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.values = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  /** The current k-th smallest value (Infinity until k values are held). */
  get worst(): number {
    return this.size < this.k ? Infinity : (this.values[0] as number);
  }

  private worse(a: number, b: number): boolean {
    const va = this.values[a] as number;
    const vb = this.values[b] as number;
    return va > vb || (va === vb && (this.indices[a] as number) > (this.indices[b] as number));
  }

  push(value: number, index: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      this.values[i] = value;
      this.indices[i] = index;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    const top = this.values[0] as number;
    if (value > top || (value === top && index > (this.indices[0] as number))) return;
    this.values[0] = value;
    this.indices[0] = index;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const v = this.values[a] as number;
    this.values[a] = this.values[b] as number;
    this.values[b] = v;
    const x = this.indices[a] as number;
    this.indices[a] = this.indices[b] as number;
    this.indices[b] = x;
  }

  /** The held pairs, best first. */
  sorted(): { index: number; value: number }[] {
    const out: { index: number; value: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.indices[i] as number, value: this.values[i] as number });
    return out.sort((a, b) => a.value - b.value || a.index - b.index);
  }
}
