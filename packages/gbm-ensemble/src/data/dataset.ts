import { checkInteger, checkOptions, Rng, rangeError } from '@aiffel/core';
import { type BinMapper, categoricalMapper } from './bin-mapper.js';
import { binRows, numericBounds } from './bin-rows.js';
import { type MatrixInput, type MatrixSource, toSource } from './matrix-source.js';
import { isRecords, Schema } from './schema.js';
import { transposeBins } from './transpose.js';

export interface DatasetOptions {
  /** Feature names (default `f0`, `f1`, ... or the schema's names). */
  featureNames?: string[];
  /** Indices or names of categorical features (values are non-negative integer codes). */
  categoricalFeatures?: (number | string)[];
  /** Value bins per feature, 2..255 (default 255); one more bin holds missing values. */
  maxBin?: number;
  /** Rows sampled to place the numeric bin bounds (default 200,000, as LightGBM). */
  binSampleCount?: number;
  /** Seed of that sample (default 0). */
  seed?: number;
  /** Required for records input: the features and their types. */
  schema?: Schema;
}

const KNOWN = ['featureNames', 'categoricalFeatures', 'maxBin', 'binSampleCount', 'seed', 'schema'];

/**
 * A feature matrix binned once into bytes (rows x features, row-major, on shared memory so worker
 * threads read it in place), reusable by every model trained on it: the costly part of a boosting
 * run's setup happens once for a whole grid search.
 */
export class Dataset {
  readonly rows: number;
  readonly cols: number;
  readonly featureNames: string[];
  readonly categorical: boolean[];
  readonly mappers: BinMapper[];
  /** bins[r * cols + f]. */
  readonly bins: Uint8Array;
  readonly hasMissing: boolean[];
  readonly schema: Schema | undefined;
  /** What the Dataset was built from, kept by reference (not copied), so predict() takes the Dataset fit() took. */
  readonly input: MatrixInput | Record<string, unknown>[];

  constructor(x: MatrixInput | Record<string, unknown>[], options: DatasetOptions = {}) {
    checkOptions('Dataset options', options, KNOWN);
    const maxBin = checkInteger('maxBin', options.maxBin ?? 255, 2, 255);
    const sampleCount = checkInteger('binSampleCount', options.binSampleCount ?? 200_000, 1);
    this.input = x;
    let source: MatrixSource;
    if (isRecords(x)) {
      if (!(options.schema instanceof Schema)) throw rangeError('schema', 'a Schema when X is an array of records', options.schema);
      this.schema = options.schema;
      source = toSource(options.schema.toMatrix(x, true, 'X'));
    } else {
      this.schema = options.schema;
      source = toSource(x);
    }
    this.rows = source.rows;
    this.cols = source.cols;
    this.featureNames = resolveNames(options.featureNames ?? this.schema?.names, this.cols);
    this.categorical = new Array(this.cols).fill(false);
    const cats = options.categoricalFeatures ?? this.schema?.categoricalIndices ?? [];
    if (!Array.isArray(cats)) throw rangeError('categoricalFeatures', 'an array of feature indices or names', cats);
    for (const c of cats) this.categorical[featureIndex(c, this.featureNames, 'categoricalFeatures')] = true;

    // Numeric bounds come from a sample of rows; categories are counted over every row.
    const sample = sampleRows(this.rows, sampleCount, options.seed ?? 0);
    const numeric = this.featureNames.map((_, f) => f).filter((f) => !this.categorical[f]);
    const numericMappers = numericBounds(source, sample, numeric, maxBin);
    let column: Float64Array | undefined;
    this.mappers = this.featureNames.map((name, f) => {
      const m = numericMappers.get(f);
      if (m) return m;
      column ??= new Float64Array(this.rows);
      source.column(f, column);
      return categoricalMapper(column, maxBin, name);
    });
    this.bins = new Uint8Array(new SharedArrayBuffer(this.rows * this.cols));
    this.hasMissing = binRows(source, this.mappers, this.bins);
  }

  private byFeature: Uint8Array | undefined;

  /**
   * The same bins column-major (binsByFeature[f * rows + r]), made on first use. Partitioning a
   * node reads one feature of rows in ascending order: from this copy that is a sequential scan
   * instead of one cache line per row.
   */
  get binsByFeature(): Uint8Array {
    if (!this.byFeature) {
      const { rows, cols, bins } = this;
      this.byFeature = new Uint8Array(rows * cols);
      transposeBins(bins, rows, cols, this.byFeature);
    }
    return this.byFeature;
  }

  /** Index of a feature given by index or name. */
  featureIndex(f: number | string, name = 'feature'): number {
    return featureIndex(f, this.featureNames, name);
  }
}

function resolveNames(names: string[] | undefined, cols: number): string[] {
  if (names === undefined) return Array.from({ length: cols }, (_, i) => `f${i}`);
  if (!Array.isArray(names) || names.length !== cols) throw rangeError('featureNames', `an array of ${cols} names`, names);
  if (new Set(names).size !== names.length) throw rangeError('featureNames', 'unique names', names);
  return names.map(String);
}

function featureIndex(f: number | string, names: string[], what: string): number {
  if (typeof f === 'number') {
    if (!Number.isInteger(f) || f < 0 || f >= names.length) throw rangeError(what, `a feature index in [0, ${names.length - 1}]`, f);
    return f;
  }
  const i = names.indexOf(f);
  if (i < 0) throw rangeError(what, `a feature name (one of ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''})`, f);
  return i;
}

function sampleRows(rows: number, count: number, seed: number): Int32Array | undefined {
  if (rows <= count) return undefined;
  // Partial Fisher-Yates over row ids, sorted afterwards so the column is read in order.
  const rng = new Rng(seed);
  const ids = new Int32Array(rows);
  for (let i = 0; i < rows; i++) ids[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(rows - i);
    const t = ids[i] as number;
    ids[i] = ids[j] as number;
    ids[j] = t;
  }
  return ids.subarray(0, count).sort();
}
