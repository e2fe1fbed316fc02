import { type BinMapper, FeatureBinner, numericMapper } from './bin-mapper.js';
import type { MatrixSource } from './matrix-source.js';
import { sortFloat64 } from './sort-float64.js';

// Rows read per block: 4,096 x 28 doubles stay in L2 while every feature of them is binned.
const BLOCK_ROWS = 1 << 12;
// Bytes of sampled values held at once while numeric bounds are placed.
const SAMPLE_BUDGET = 1 << 27;

/**
 * The numeric features' mappers from the sampled rows, the sample of a group of features at a
 * time (at most `budget` bytes of it): wide data would otherwise hold every feature's sample at
 * once (2,000 features x 200,000 rows would be 3.2 GB).
 */
export function numericBounds(
  source: MatrixSource,
  sample: Int32Array | undefined,
  features: number[],
  maxBin: number,
  budget = SAMPLE_BUDGET,
): Map<number, BinMapper> {
  const group = Math.max(1, Math.floor(budget / ((sample?.length ?? source.rows) * 8)));
  const mappers = new Map<number, BinMapper>();
  for (let g = 0; g < features.length; g += group) {
    const some = features.slice(g, g + group);
    const sorted = sampleColumns(source, sample, some);
    for (let k = 0; k < some.length; k++) mappers.set(some[k] as number, numericMapper(sorted[k] as Float64Array, maxBin));
  }
  return mappers;
}

/**
 * The sorted non-missing values of each feature in `features` over the sampled rows (ascending
 * row ids; undefined: every row), read in row blocks: a row-major input is streamed once instead
 * of strided through once per feature.
 */
function sampleColumns(source: MatrixSource, sample: Int32Array | undefined, features: number[]): Float64Array[] {
  const { rows, cols } = source;
  const n = sample ? sample.length : rows;
  const out = features.map(() => new Float64Array(n));
  const filled = new Int32Array(features.length);
  const block = new Float64Array(BLOCK_ROWS * cols);
  let next = 0;
  for (let start = 0; start < rows && next < n; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    if (sample && (sample[next] as number) >= end) continue;
    source.block(start, end, block);
    for (; next < n; next++) {
      const r = sample ? (sample[next] as number) : start + (next - start);
      if (r >= end) break;
      const base = (r - start) * cols;
      for (let k = 0; k < features.length; k++) {
        const v = block[base + (features[k] as number)] as number;
        if (!Number.isNaN(v)) {
          const c = out[k] as Float64Array;
          c[filled[k] as number] = v;
          filled[k] = (filled[k] as number) + 1;
        }
      }
    }
  }
  return out.map((c, k) => sortFloat64(c.subarray(0, filled[k] as number)));
}

/**
 * Every row's bins into `bins` (row-major rows x cols), reading the source in row blocks and
 * binning one feature of a block at a time. Returns, per feature, whether a value was missing.
 */
export function binRows(source: MatrixSource, mappers: BinMapper[], bins: Uint8Array): boolean[] {
  const { rows, cols } = source;
  const binners = mappers.map((m) => new FeatureBinner(m));
  const block = new Float64Array(BLOCK_ROWS * cols);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    source.block(start, end, block);
    for (let f = 0; f < cols; f++) (binners[f] as FeatureBinner).bin(block, f, cols, end - start, bins, start * cols + f, cols);
  }
  return binners.map((b) => b.sawMissing);
}
