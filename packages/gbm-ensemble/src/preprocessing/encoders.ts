import { checkOneOf, checkOptions, notFitted, rangeError } from '@aiffel/core';

type Cell = string | number | null | undefined;

function checkRows(rows: readonly (readonly Cell[])[], cols: number | undefined, owner: string): number {
  if (!Array.isArray(rows) || rows.length === 0) throw rangeError(`${owner} X`, 'a non-empty array of rows', rows);
  const c = cols ?? (rows[0] as readonly Cell[])?.length;
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== c) throw rangeError(`${owner} X[${i}]`, `a row of ${c} values`, r);
  });
  return c as number;
}

function sortCategories(values: Set<Cell>): Cell[] {
  return [...values]
    .filter((v) => v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v)))
    .sort((a, b) => (typeof a === typeof b ? ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0) : typeof a === 'number' ? -1 : 1));
}

/**
 * Category -> integer code per column (sorted categories, as scikit-learn). Unknown categories
 * at transform time throw (default) or become NaN with handleUnknown: 'missing' — which the
 * boosters treat as a missing value, so an ordinal-encoded column can go straight into
 * `categoricalFeatures`.
 */
export class OrdinalEncoder {
  readonly handleUnknown: 'error' | 'missing';
  categories: Cell[][] | undefined;

  constructor(options: { handleUnknown?: 'error' | 'missing' } = {}) {
    checkOptions('OrdinalEncoder options', options, ['handleUnknown']);
    this.handleUnknown = checkOneOf('handleUnknown', options.handleUnknown ?? 'error', ['error', 'missing'] as const);
  }

  fit(X: readonly (readonly Cell[])[]): this {
    const c = checkRows(X, undefined, 'OrdinalEncoder');
    this.categories = Array.from({ length: c }, (_, f) => sortCategories(new Set(X.map((r) => r[f]))));
    return this;
  }

  transform(X: readonly (readonly Cell[])[]): number[][] {
    const cats = this.categories;
    if (!cats) throw notFitted('OrdinalEncoder', 'transform');
    checkRows(X, cats.length, 'OrdinalEncoder');
    const maps = cats.map((c) => new Map(c.map((v, i) => [v, i])));
    return X.map((row, i) =>
      row.map((v, f) => {
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return Number.NaN;
        const code = (maps[f] as Map<Cell, number>).get(v);
        if (code !== undefined) return code;
        if (this.handleUnknown === 'missing') return Number.NaN;
        throw rangeError(`OrdinalEncoder X[${i}][${f}]`, 'a category seen in fit (or handleUnknown: "missing")', v);
      }),
    );
  }

  fitTransform(X: readonly (readonly Cell[])[]): number[][] {
    return this.fit(X).transform(X);
  }

  inverseTransform(X: readonly (readonly number[])[]): Cell[][] {
    const cats = this.categories;
    if (!cats) throw notFitted('OrdinalEncoder', 'inverseTransform');
    return X.map((row) => row.map((v, f) => (Number.isInteger(v) ? ((cats[f] as Cell[])[v] ?? null) : null)));
  }
}

/** One 0/1 column per category (sorted); unknown categories give all zeros or throw. */
export class OneHotEncoder {
  readonly handleUnknown: 'error' | 'ignore';
  categories: Cell[][] | undefined;

  constructor(options: { handleUnknown?: 'error' | 'ignore' } = {}) {
    checkOptions('OneHotEncoder options', options, ['handleUnknown']);
    this.handleUnknown = checkOneOf('handleUnknown', options.handleUnknown ?? 'error', ['error', 'ignore'] as const);
  }

  fit(X: readonly (readonly Cell[])[]): this {
    const c = checkRows(X, undefined, 'OneHotEncoder');
    this.categories = Array.from({ length: c }, (_, f) => sortCategories(new Set(X.map((r) => r[f]))));
    return this;
  }

  /** Output column names `${input}_${category}`. */
  featureNames(inputNames?: string[]): string[] {
    const cats = this.categories;
    if (!cats) throw notFitted('OneHotEncoder', 'featureNames');
    return cats.flatMap((c, f) => c.map((v) => `${inputNames?.[f] ?? `x${f}`}_${String(v)}`));
  }

  transform(X: readonly (readonly Cell[])[]): number[][] {
    const cats = this.categories;
    if (!cats) throw notFitted('OneHotEncoder', 'transform');
    checkRows(X, cats.length, 'OneHotEncoder');
    const offsets: number[] = [];
    let width = 0;
    for (const c of cats) {
      offsets.push(width);
      width += c.length;
    }
    const maps = cats.map((c) => new Map(c.map((v, i) => [v, i])));
    return X.map((row, i) => {
      const out = new Array<number>(width).fill(0);
      row.forEach((v, f) => {
        const code = (maps[f] as Map<Cell, number>).get(v);
        if (code !== undefined) out[(offsets[f] as number) + code] = 1;
        else if (this.handleUnknown === 'error') throw rangeError(`OneHotEncoder X[${i}][${f}]`, 'a category seen in fit (or handleUnknown: "ignore")', v);
      });
      return out;
    });
  }

  fitTransform(X: readonly (readonly Cell[])[]): number[][] {
    return this.fit(X).transform(X);
  }
}
