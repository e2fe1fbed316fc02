/**
 * Interactions as they stream out of a file: dense user and item indices assigned in first-seen
 * order, values in growable typed arrays (Last.fm-360K has 17.5 million rows; one object or string
 * per row would not fit), and every row the loader could not use counted by reason.
 */
export interface InteractionData {
  source: string;
  /** 'plays' (Last.fm counts), 'ratings' (MovieLens stars) or 'synthetic' (generated play counts). */
  kind: 'plays' | 'ratings' | 'synthetic';
  users: string[];
  items: string[];
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  /** item id -> display name */
  names: Map<string, string>;
  /** Rows left out, by reason, with the first line numbers: reported, never dropped silently. */
  skipped: SkippedRows[];
}

export interface SkippedRows {
  reason: string;
  count: number;
  /** Up to five 1-based line numbers. */
  lines: number[];
}

export class InteractionBuilder {
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private readonly users: string[] = [];
  private readonly items: string[] = [];
  private rows = new Int32Array(1024);
  private cols = new Int32Array(1024);
  private values = new Float32Array(1024);
  private n = 0;
  private readonly skipped = new Map<string, SkippedRows>();
  readonly names = new Map<string, string>();

  constructor(
    private readonly source: string,
    private readonly kind: InteractionData['kind'],
  ) {}

  add(user: string, item: string, value: number): void {
    if (this.n === this.rows.length) this.grow();
    this.rows[this.n] = this.indexOf(this.userIndex, this.users, user);
    this.cols[this.n] = this.indexOf(this.itemIndex, this.items, item);
    this.values[this.n] = value;
    this.n++;
  }

  skip(reason: string, line: number): void {
    const s = this.skipped.get(reason) ?? { reason, count: 0, lines: [] };
    s.count++;
    if (s.lines.length < 5) s.lines.push(line);
    this.skipped.set(reason, s);
  }

  get size(): number {
    return this.n;
  }

  build(): InteractionData {
    return {
      source: this.source,
      kind: this.kind,
      users: this.users,
      items: this.items,
      rows: this.rows.slice(0, this.n),
      cols: this.cols.slice(0, this.n),
      values: this.values.slice(0, this.n),
      names: this.names,
      skipped: [...this.skipped.values()],
    };
  }

  private indexOf(index: Map<string, number>, list: string[], id: string): number {
    let i = index.get(id);
    if (i === undefined) {
      i = list.length;
      index.set(id, i);
      list.push(id);
    }
    return i;
  }

  private grow(): void {
    const grow = <T extends Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.rows = grow(this.rows, (k) => new Int32Array(k));
    this.cols = grow(this.cols, (k) => new Int32Array(k));
    this.values = grow(this.values, (k) => new Float32Array(k));
  }
}

/** Lower-case, Unicode-normalised (NFKC), single-spaced: "  CØLDPLAY " and "coldplay" do not match, "Coldplay" and "coldplay " do. */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
