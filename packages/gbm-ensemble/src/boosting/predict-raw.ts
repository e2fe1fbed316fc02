import { rangeError } from '@aiffel/core';
import { Dataset } from '../data/dataset.js';
import { type MatrixSource, toSource } from '../data/matrix-source.js';
import { isRecords, type Schema } from '../data/schema.js';
import { RawWalker } from '../tree/raw-walker.js';
import type { Tree } from '../tree/tree.js';
import type { FeatureInput } from './booster.js';
import { wasmPredictRaw } from './wasm-predict.js';

const BLOCK = 4096;

interface FeatureInfo {
  featureNames: string[];
  schema: Schema | undefined;
}

/** Any accepted X as a source with the model's number of columns (records through the schema). */
export function sourceFor(X: FeatureInput | Dataset, model: FeatureInfo, name = 'X'): MatrixSource {
  // predict() takes the Dataset fit() took: it reads the rows the Dataset was built from.
  if (X instanceof Dataset) return sourceFor(X.input as FeatureInput, model, name);
  let src: MatrixSource;
  if (isRecords(X)) {
    if (!model.schema) throw rangeError(name, 'a numeric matrix (this model was not trained with a schema, so it cannot read records)', 'an array of records');
    src = toSource(model.schema.toMatrix(X, false, name), name);
  } else src = toSource(X, name);
  const cols = model.featureNames.length;
  if (src.cols !== cols) throw rangeError(`${name} columns`, `${cols} (the features the model was trained on)`, src.cols);
  return src;
}

/** The whole of X as one row-major float64 block (validation sets). */
export function rawBlocks(X: FeatureInput | Dataset, model: FeatureInfo, name: string): Float64Array {
  const src = sourceFor(X, model, name);
  const out = new Float64Array(src.rows * src.cols);
  src.block(0, src.rows, out);
  return out;
}

// Walkers of boosting-sized trees are made once per tree: a one-row prediction would otherwise
// rebuild them every call. Deep forest trees' walkers are made per call rather than kept.
const walkers = new WeakMap<Tree, RawWalker | null>();
const KEEP_LEAVES = 1 << 12;

function walkerOf(tree: Tree): RawWalker | null {
  let w = walkers.get(tree);
  if (w === undefined) {
    w = RawWalker.of(tree);
    if (tree.numLeaves <= KEEP_LEAVES) walkers.set(tree, w);
  }
  return w;
}

/**
 * Raw scores (rows x outputs) from `init` plus the first `iterations` rounds of trees, reading X
 * in blocks of 4096 rows so the float64 copy stays small whatever the size of X. Large batches of
 * single-output trees are walked on `threads` threads (the model's nThreads); the scores are the
 * same on any number.
 */
export function predictRaw(
  src: MatrixSource,
  trees: Tree[],
  outputs: number,
  init: Float64Array,
  iterations: number,
  threads: number | 'auto' = 1,
): Float64Array {
  const nTrees = Math.min(trees.length, iterations * outputs);
  const fast = wasmPredictRaw(src, trees, nTrees, outputs, init, BLOCK, threads);
  if (fast !== null) return fast;
  const { rows, cols } = src;
  const out = new Float64Array(rows * outputs);
  const block = new Float64Array(Math.min(rows, BLOCK) * cols);
  const walkers = trees.slice(0, nTrees).map(walkerOf);
  const leaves = new Int32Array(Math.min(rows, BLOCK));
  for (let start = 0; start < rows; start += BLOCK) {
    const end = Math.min(rows, start + BLOCK);
    src.block(start, end, block);
    for (let r = start; r < end; r++) for (let k = 0; k < outputs; k++) out[r * outputs + k] = init[k] as number;
    for (let t = 0; t < nTrees; t++) {
      const tree = trees[t] as Tree;
      const walker = walkers[t];
      if (walker) walker.leaves(block, cols, end - start, leaves);
      else for (let r = start, base = 0; r < end; r++, base += cols) leaves[r - start] = tree.leafOf(block, base);
      const k = t % outputs;
      const v = tree.leafValue;
      const C = tree.outputs;
      if (C === 1) {
        for (let r = start; r < end; r++) {
          const at = r * outputs + k;
          out[at] = (out[at] as number) + (v[leaves[r - start] as number] as number);
        }
      } else {
        // Multi-output trees (random-forest classifiers) add a whole row of values per leaf.
        for (let r = start; r < end; r++) {
          const leaf = (leaves[r - start] as number) * C;
          for (let c = 0; c < C; c++) out[r * outputs + c] = (out[r * outputs + c] as number) + (v[leaf + c] as number);
        }
      }
    }
  }
  return out;
}
