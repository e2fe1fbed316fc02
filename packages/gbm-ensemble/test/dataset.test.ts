import { describe, expect, it } from 'vitest';
import { numericMapper } from '../src/data/bin-mapper.js';
import { numericBounds } from '../src/data/bin-rows.js';
import { toSource } from '../src/data/matrix-source.js';
import { Dataset } from '../src/index.js';
import { lcg } from './helpers.js';

// 9,000 rows in blocks of 4,096 (the last one partial), four features: wide numeric, float32 of
// both signs with missing values, few distinct values, categorical codes.
const rows = 9000;
const cols = 4;
const r = lcg(3);
const data = new Float32Array(rows * cols);
for (let i = 0; i < rows; i++) {
  data[i * cols] = (r() - 0.5) * 1e4;
  data[i * cols + 1] = r() < 0.05 ? Number.NaN : r() * 2 - 1;
  data[i * cols + 2] = Math.floor(r() * 5);
  data[i * cols + 3] = Math.floor(r() * 7);
}

/** The bin a value gets by the Dataset's own mapper, found by a linear scan. */
function referenceBin(ds: Dataset, f: number, v: number): number {
  const m = ds.mappers[f] as Dataset['mappers'][number];
  if (Number.isNaN(v)) return m.missingBin;
  if (m.kind === 'categorical') {
    const i = m.categories.indexOf(v);
    return i < 0 ? m.missingBin : i;
  }
  let b = 0;
  while ((m.bounds[b] as number) < v) b++;
  return b;
}

describe('Dataset binning', () => {
  for (const sampleCount of [200_000, 1_000])
    it(`puts every value in the bin its feature's mapper says (bounds from ${sampleCount >= rows ? 'every row' : 'a sample of rows'})`, () => {
      const ds = new Dataset({ data, rows, cols }, { categoricalFeatures: [3], binSampleCount: sampleCount, maxBin: 63 });
      expect(ds.mappers.map((m) => m.kind)).toEqual(['numeric', 'numeric', 'numeric', 'categorical']);
      expect(ds.mappers[0]?.numBins).toBe(63);
      // Five distinct values: a bin each.
      expect(ds.mappers[2]?.numBins).toBe(5);
      expect(ds.hasMissing).toEqual([false, true, false, false]);
      for (let i = 0; i < rows; i++)
        for (let f = 0; f < cols; f++)
          if (ds.bins[i * cols + f] !== referenceBin(ds, f, data[i * cols + f] as number))
            expect([i, f, ds.bins[i * cols + f]]).toEqual([i, f, referenceBin(ds, f, data[i * cols + f] as number)]);
    });

  it('places numeric bounds from every non-missing value when the sample covers all rows', () => {
    const ds = new Dataset({ data, rows, cols }, { categoricalFeatures: [3], maxBin: 63 });
    for (const f of [0, 1, 2]) {
      const column = Float64Array.from({ length: rows }, (_, i) => data[i * cols + f] as number).filter((v) => !Number.isNaN(v));
      expect(ds.mappers[f]).toEqual(numericMapper(column.sort(), 63));
    }
  });

  it('places the same bounds when wide data is sampled a few features at a time', () => {
    const source = toSource({ data, rows, cols });
    const sample = Int32Array.from({ length: 3000 }, (_, i) => i * 3);
    const all = numericBounds(source, sample, [0, 1, 2], 63);
    // A budget of one feature's sample: three passes over the rows.
    const oneByOne = numericBounds(source, sample, [0, 1, 2], 63, 3000 * 8);
    expect([...oneByOne.entries()]).toEqual([...all.entries()]);
    expect(all.get(1)?.numBins).toBe(63);
  });

  it('bins row arrays, column arrays and a typed matrix the same way', () => {
    const dense = new Dataset({ data, rows, cols }, { categoricalFeatures: [3], binSampleCount: 2_000 });
    const asRows = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
    const asColumns = { columns: Array.from({ length: cols }, (_, f) => Float64Array.from({ length: rows }, (_, i) => data[i * cols + f] as number)) };
    for (const other of [
      new Dataset(asRows, { categoricalFeatures: [3], binSampleCount: 2_000 }),
      new Dataset(asColumns, { categoricalFeatures: [3], binSampleCount: 2_000 }),
    ]) {
      expect(other.mappers).toEqual(dense.mappers);
      expect(Buffer.from(other.bins).equals(Buffer.from(dense.bins))).toBe(true);
    }
  });
});

describe('predict takes the Dataset fit took', () => {
  it('gives the predictions of the rows it was built from, for boosting and forests, matrices and records', async () => {
    const { GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor, Schema } = await import('../src/index.js');
    const X = Array.from({ length: 300 }, (_, i) => [i % 17, (i * 7) % 23, i % 3]);
    const y = X.map((row) => (row[0] as number) + 2 * (row[1] as number));
    const labels = y.map((v) => (v > 30 ? 'high' : 'low'));
    const ds = new Dataset(X, { categoricalFeatures: [2] });
    const reg = new GradientBoostingRegressor({ nEstimators: 20, nThreads: 1 }).fit(ds, y);
    expect(Array.from(reg.predict(ds))).toEqual(Array.from(reg.predict(X)));
    expect(Array.from(reg.predictRaw(ds))).toEqual(Array.from(reg.predictRaw(X)));
    const clf = new GradientBoostingClassifier<string>({ nEstimators: 10, nThreads: 1 }).fit(ds, labels);
    expect(clf.predict(ds)).toEqual(clf.predict(X));
    expect(Array.from(clf.predictProba(ds))).toEqual(Array.from(clf.predictProba(X)));
    const forest = new RandomForestRegressor({ nEstimators: 5, seed: 1, nThreads: 1 }).fit(ds, y);
    expect(Array.from(forest.predict(ds))).toEqual(Array.from(forest.predict(X)));
    const fc = new RandomForestClassifier<string>({ nEstimators: 5, seed: 1, nThreads: 1 }).fit(ds, labels);
    expect(fc.predict(ds)).toEqual(fc.predict(X));
    // Records through a schema: the Dataset of records predicts as the records do.
    const schema = new Schema([
      { name: 'a', type: 'numeric' },
      { name: 'colour', type: 'categorical' },
    ]);
    const records = X.map((row) => ({ a: row[0], colour: ['red', 'green', 'blue'][row[2] as number] }));
    const rds = new Dataset(records, { schema });
    const rm = new GradientBoostingRegressor({ nEstimators: 10, nThreads: 1 }).fit(rds, y);
    expect(Array.from(rm.predict(rds))).toEqual(Array.from(rm.predict(records)));
    // A Dataset of other columns is refused like any matrix of other columns.
    expect(() => reg.predict(new Dataset(X.map((row) => row.slice(0, 2))))).toThrow(/X columns must be 3/);
  });
});
