import { checkInteger, checkNumber, checkOptions, Rng, rangeError } from '@aiffel/core';

export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

function shuffled(n: number, rng: Rng | undefined): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  if (rng)
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
  return a;
}

/** scikit-learn's KFold: the first n % k folds get one extra row; shuffle with a seed. */
export class KFold {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: { nSplits?: number; shuffle?: boolean; seed?: number } = {}) {
    checkOptions('KFold options', options, ['nSplits', 'shuffle', 'seed']);
    this.nSplits = checkInteger('nSplits', options.nSplits ?? 5, 2);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkInteger('seed', options.seed ?? 0, -0x80000000, 0xffffffff);
  }

  split(n: number): Fold[] {
    if (n < this.nSplits) throw rangeError('rows', `at least nSplits = ${this.nSplits}`, n);
    const order = shuffled(n, this.shuffle ? new Rng(this.seed) : undefined);
    const folds: Fold[] = [];
    let start = 0;
    for (let f = 0; f < this.nSplits; f++) {
      const size = Math.floor(n / this.nSplits) + (f < n % this.nSplits ? 1 : 0);
      const test = order.slice(start, start + size).sort();
      const train = Int32Array.from([...order.slice(0, start), ...order.slice(start + size)]).sort();
      folds.push({ train, test });
      start += size;
    }
    return folds;
  }
}

/**
 * Folds that keep each class's share: each class's rows (shuffled with the seed when asked) are
 * dealt round-robin over the folds, so fold sizes differ by at most one per class.
 */
export class StratifiedKFold {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;

  constructor(options: { nSplits?: number; shuffle?: boolean; seed?: number } = {}) {
    checkOptions('StratifiedKFold options', options, ['nSplits', 'shuffle', 'seed']);
    this.nSplits = checkInteger('nSplits', options.nSplits ?? 5, 2);
    this.shuffle = options.shuffle ?? false;
    this.seed = checkInteger('seed', options.seed ?? 0, -0x80000000, 0xffffffff);
  }

  split(y: ArrayLike<number | string>): Fold[] {
    const byClass = new Map<number | string, number[]>();
    for (let i = 0; i < y.length; i++) {
      const c = y[i] as number | string;
      const list = byClass.get(c) ?? [];
      list.push(i);
      byClass.set(c, list);
    }
    for (const [c, rows] of byClass)
      if (rows.length < this.nSplits) throw rangeError(`class ${JSON.stringify(c)}`, `at least nSplits = ${this.nSplits} rows`, rows.length);
    const rng = this.shuffle ? new Rng(this.seed) : undefined;
    const assign = new Int32Array(y.length);
    let offset = 0;
    for (const key of [...byClass.keys()].sort()) {
      const rows = byClass.get(key) as number[];
      const order = shuffled(rows.length, rng);
      for (let k = 0; k < rows.length; k++) assign[rows[order[k] as number] as number] = (offset + k) % this.nSplits;
      offset += rows.length;
    }
    return Array.from({ length: this.nSplits }, (_, f) => {
      const test: number[] = [];
      const train: number[] = [];
      for (let i = 0; i < y.length; i++) (assign[i] === f ? test : train).push(i);
      return { train: Int32Array.from(train), test: Int32Array.from(test) };
    });
  }
}

/** Row indices of a random train/test split; `stratify` keeps the class shares of those labels. */
export function trainTestSplit(n: number, options: { testSize?: number; seed?: number; shuffle?: boolean; stratify?: ArrayLike<number | string> } = {}): Fold {
  checkOptions('trainTestSplit options', options, ['testSize', 'seed', 'shuffle', 'stratify']);
  checkInteger('n', n, 2);
  const size = checkNumber(
    'testSize',
    options.testSize ?? 0.25,
    (v) => v > 0 && (v < 1 || (Number.isInteger(v) && v < n)),
    'a fraction in (0, 1) or a row count below n',
  );
  const nTest = size < 1 ? Math.ceil(size * n) : size;
  const rng = new Rng(options.seed ?? 0);
  if (options.stratify) {
    const y = options.stratify;
    if (y.length !== n) throw rangeError('stratify.length', String(n), y.length);
    const byClass = new Map<number | string, number[]>();
    for (let i = 0; i < n; i++) byClass.set(y[i] as number | string, [...(byClass.get(y[i] as number | string) ?? []), i]);
    const test: number[] = [];
    for (const key of [...byClass.keys()].sort()) {
      const rows = byClass.get(key) as number[];
      const order = shuffled(rows.length, rng);
      const k = Math.round((rows.length * nTest) / n);
      for (let j = 0; j < k; j++) test.push(rows[order[j] as number] as number);
    }
    const inTest = new Uint8Array(n);
    for (const t of test) inTest[t] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test).sort() };
  }
  const order = shuffled(n, options.shuffle === false ? undefined : rng);
  return { train: order.slice(nTest).sort(), test: order.slice(0, nTest).sort() };
}
