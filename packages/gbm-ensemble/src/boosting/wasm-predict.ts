import type { MatrixSource } from '../data/matrix-source.js';
import type { Tree } from '../tree/tree.js';
import { type KernelExports, wasmKernelsActive as kernelsAvailable, kernelsWithMemory } from '../wasm/kernels.js';

/** One tree's tables in the kernels' memory (byte addresses), as assembly/predict.ts reads them. */
interface TreeTables {
  internal: number;
  depth: number;
  feature: number;
  threshold: number;
  defaultLeft: number;
  children: number;
  values: number;
  /** Categorical splits: 0 for a tree of numeric splits only. */
  isCat: number;
  catOffset: number;
  catWords: number;
  catBits: number;
}

/** A model's trees written once into their own kernel memory, with room for one block of rows. */
interface Compiled {
  exports: KernelExports;
  tables: TreeTables[];
  cols: number;
  outputs: number;
  blockRows: number;
  xAt: number;
  outAt: number;
  x: Float64Array;
  out: Float64Array;
  /** Small enough to keep between calls. */
  keep: boolean;
}

// Per trees array (a fitted model's own): writing 200 trees' tables took a millisecond, which a
// one-row prediction would pay on every call. Tables past KEEP_BYTES (deep forests) are written
// for each call instead of doubling the model's memory for as long as it lives.
const compiled = new WeakMap<Tree[], Compiled | null>();
const KEEP_BYTES = 32 << 20;

function compile(trees: Tree[], cols: number, outputs: number, blockRows: number): Compiled | null {
  if (trees.some((t) => t.outputs !== 1)) return null;
  let tableBytes = 0;
  for (const t of trees) {
    const nodes = 2 * t.numLeaves - 1;
    let words = 1;
    for (let n = 0; n < t.numLeaves - 1; n++) words += t.categoryBits(n).length;
    // feature, threshold, defaultLeft, children, isCat, catOffset, catWords per node; values; bits.
    tableBytes += nodes * 36 + t.numLeaves * 8 + words * 4 + 8;
  }
  const xBytes = blockRows * cols * 8;
  const outBytes = blockRows * outputs * 8;
  const k = kernelsWithMemory(tableBytes + xBytes + outBytes);
  if (k === null) return null;
  const buf = k.memory.buffer;
  const xAt = 65536;
  const outAt = xAt + xBytes;
  let at = outAt + outBytes;
  const tables = trees.map((t) => {
    const { layout, end } = writeTables(t, buf, at);
    at = end;
    return layout;
  });
  return {
    exports: k.exports,
    tables,
    cols,
    outputs,
    blockRows,
    xAt,
    outAt,
    x: new Float64Array(buf, xAt, blockRows * cols),
    out: new Float64Array(buf, outAt, blockRows * outputs),
    keep: tableBytes <= KEEP_BYTES,
  };
}

/**
 * Raw scores from the first `nTrees` of `trees` (all single-output), walked by the WebAssembly
 * kernels (assembly/predict.ts: several rows at a time, no branches on the data) over blocks of
 * `block` rows, with the same comparisons and the same order of additions as predictRaw's
 * JavaScript walk, so the scores are identical. The trees' tables are written once per trees
 * array (keep passing the same array). Returns null when the kernels are not available or a tree
 * has several outputs (random-forest classifiers stay in JavaScript).
 */
export function wasmPredictRaw(src: MatrixSource, trees: Tree[], nTrees: number, outputs: number, init: Float64Array, block: number): Float64Array | null {
  if (!kernelsAvailable()) return null;
  const { rows, cols } = src;
  let c = compiled.get(trees);
  if (c === undefined || (c !== null && (c.tables.length !== trees.length || c.cols !== cols || c.outputs !== outputs || c.blockRows !== block))) {
    c = compile(trees, cols, outputs, block);
    if (c === null || c.keep) compiled.set(trees, c);
  }
  if (c === null) return null;
  const { exports: e, tables, x, out: outBlock, xAt, outAt, blockRows } = c;
  const out = new Float64Array(rows * outputs);
  for (let start = 0; start < rows; start += blockRows) {
    const end = Math.min(rows, start + blockRows);
    const n = end - start;
    src.block(start, end, x.subarray(0, n * cols));
    for (let r = 0; r < n; r++) outBlock.set(init, r * outputs);
    for (let i = 0; i < nTrees; i++) {
      const l = tables[i] as TreeTables;
      if (l.isCat === 0)
        e.walkTree(xAt, cols, n, l.feature, l.threshold, l.defaultLeft, l.children, l.internal, l.depth, l.values, outAt, outputs, i % outputs);
      else
        e.walkTreeMixed(
          xAt,
          cols,
          n,
          l.feature,
          l.threshold,
          l.defaultLeft,
          l.children,
          l.isCat,
          l.catOffset,
          l.catWords,
          l.catBits,
          l.internal,
          l.depth,
          l.values,
          outAt,
          outputs,
          i % outputs,
        );
    }
    out.set(outBlock.subarray(0, n * outputs), start * outputs);
  }
  return out;
}

/**
 * Writes a tree's tables at byte `at` (8-aligned): RawWalker's layout (leaves lead to themselves
 * and compare column 0 against +Infinity), plus the category sets when it has categorical splits.
 */
function writeTables(t: Tree, buf: SharedArrayBuffer, at: number): { layout: TreeTables; end: number } {
  const nodes = 2 * t.numLeaves - 1;
  const internal = t.numLeaves - 1;
  const threshold = new Float64Array(buf, at, nodes).fill(Number.POSITIVE_INFINITY);
  const values = new Float64Array(buf, threshold.byteOffset + nodes * 8, t.numLeaves);
  const ints = (offset: number, length: number): Int32Array => new Int32Array(buf, offset, length);
  const feature = ints(values.byteOffset + t.numLeaves * 8, nodes);
  const defaultLeft = ints(feature.byteOffset + nodes * 4, nodes);
  const children = ints(defaultLeft.byteOffset + nodes * 4, nodes * 2);
  let end = children.byteOffset + nodes * 8;
  const id = (child: number): number => (child < 0 ? internal + ~child : child);
  let categorical = false;
  for (let n = 0; n < internal; n++) {
    feature[n] = t.splitFeature[n] as number;
    threshold[n] = t.threshold[n] as number;
    defaultLeft[n] = t.defaultLeft[n] as number;
    children[2 * n] = id(t.right[n] as number);
    children[2 * n + 1] = id(t.left[n] as number);
    if (t.categorical[n] !== 0) categorical = true;
  }
  for (let n = internal; n < nodes; n++) {
    children[2 * n] = n;
    children[2 * n + 1] = n;
  }
  values.set(t.leafValue);
  const layout: TreeTables = {
    internal,
    depth: t.depth(),
    feature: feature.byteOffset,
    threshold: threshold.byteOffset,
    defaultLeft: defaultLeft.byteOffset,
    children: children.byteOffset,
    values: values.byteOffset,
    isCat: 0,
    catOffset: 0,
    catWords: 0,
    catBits: 0,
  };
  if (categorical) {
    const isCat = ints(end, nodes);
    const catOffset = ints(isCat.byteOffset + nodes * 4, nodes);
    const catWords = ints(catOffset.byteOffset + nodes * 4, nodes);
    const bitsAt = catWords.byteOffset + nodes * 4;
    let words = 0;
    for (let n = 0; n < internal; n++) {
      if (t.categorical[n] === 0) continue;
      const bits = t.categoryBits(n);
      isCat[n] = 1;
      catOffset[n] = words;
      catWords[n] = bits.length;
      new Uint32Array(buf, bitsAt + words * 4, bits.length).set(bits);
      words += bits.length;
    }
    // One spare word: the kernel reads word 0 of a node's set even when the code is outside it.
    end = bitsAt + (words + 1) * 4;
    Object.assign(layout, { isCat: isCat.byteOffset, catOffset: catOffset.byteOffset, catWords: catWords.byteOffset, catBits: bitsAt });
  }
  return { layout, end: Math.ceil(end / 8) * 8 };
}
