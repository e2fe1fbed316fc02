import type { MatrixSource } from '../data/matrix-source.js';
import type { Tree } from '../tree/tree.js';
import { kernelsWithMemory } from '../wasm/kernels.js';

/**
 * Raw scores of single-output trees with numeric splits only, walked by the WebAssembly kernel
 * (assembly/predict.ts: eight rows at a time, no branches on the data) over blocks of `block` rows.
 * The same comparisons and the same order of additions as predictRaw's JavaScript walk, so the
 * scores are identical. Returns null when the kernels are not available or a tree does not
 * qualify (categorical splits and multi-output trees stay in JavaScript).
 */
export function wasmPredictRaw(src: MatrixSource, trees: Tree[], outputs: number, init: Float64Array, block: number): Float64Array | null {
  for (const t of trees) {
    if (t.outputs !== 1) return null;
    for (let i = 0; i < t.numLeaves - 1; i++) if (t.categorical[i] !== 0) return null;
  }
  const { rows, cols } = src;
  const blockRows = Math.min(rows, block);
  // Per tree: nodes (internal + leaves) x (feature 4, threshold 8, defaultLeft 4, children 8) and a value per leaf.
  let tableBytes = 0;
  for (const t of trees) tableBytes += (2 * t.numLeaves - 1) * 24 + t.numLeaves * 8;
  const xBytes = blockRows * cols * 8;
  const outBytes = blockRows * outputs * 8;
  const k = kernelsWithMemory(tableBytes + xBytes + outBytes + 64);
  if (k === null) return null;
  const buf = k.memory.buffer;
  // Doubles first (aligned), then the i32 tables.
  let at = 65536;
  const xAt = at;
  at += xBytes;
  const outAt = at;
  at += outBytes;
  const layout = trees.map((t) => {
    const nodes = 2 * t.numLeaves - 1;
    const internal = t.numLeaves - 1;
    const threshold = new Float64Array(buf, at, nodes).fill(Number.POSITIVE_INFINITY);
    const values = new Float64Array(buf, at + nodes * 8, t.numLeaves);
    const feature = new Int32Array(buf, at + nodes * 8 + t.numLeaves * 8, nodes);
    const defaultLeft = new Int32Array(buf, feature.byteOffset + nodes * 4, nodes);
    const children = new Int32Array(buf, defaultLeft.byteOffset + nodes * 4, nodes * 2);
    at = children.byteOffset + nodes * 8;
    const id = (child: number): number => (child < 0 ? internal + ~child : child);
    for (let n = 0; n < internal; n++) {
      feature[n] = t.splitFeature[n] as number;
      threshold[n] = t.threshold[n] as number;
      defaultLeft[n] = t.defaultLeft[n] as number;
      children[2 * n] = id(t.right[n] as number);
      children[2 * n + 1] = id(t.left[n] as number);
    }
    // Leaves compare column 0 against +Infinity and lead to themselves either way.
    for (let n = internal; n < nodes; n++) {
      children[2 * n] = n;
      children[2 * n + 1] = n;
    }
    values.set(t.leafValue);
    return { internal, depth: t.depth(), feature, threshold, defaultLeft, children, values };
  });
  const x = new Float64Array(buf, xAt, blockRows * cols);
  const outBlock = new Float64Array(buf, outAt, blockRows * outputs);
  const out = new Float64Array(rows * outputs);
  for (let start = 0; start < rows; start += blockRows) {
    const end = Math.min(rows, start + blockRows);
    const n = end - start;
    src.block(start, end, x);
    for (let r = 0; r < n; r++) outBlock.set(init, r * outputs);
    for (let i = 0; i < trees.length; i++) {
      const l = layout[i] as (typeof layout)[number];
      k.exports.walkTree(
        xAt,
        cols,
        n,
        l.feature.byteOffset,
        l.threshold.byteOffset,
        l.defaultLeft.byteOffset,
        l.children.byteOffset,
        l.internal,
        l.depth,
        l.values.byteOffset,
        outAt,
        outputs,
        i % outputs,
      );
    }
    out.set(outBlock.subarray(0, n * outputs), start * outputs);
  }
  return out;
}
