import type { Worker } from 'node:worker_threads';
import { WORKER_START_TIMEOUT_MS } from '@aiffel/core';
import type { MatrixSource } from '../data/matrix-source.js';
import { sendCommand } from '../parallel/command-loop.js';
import { BLOCK_ROWS, CMD_WALK, CMD_YIELD, CONTROL_SLOTS, DONE, ERROR, READY } from '../parallel/control.js';
import { predictionHelpers } from '../parallel/engine-factory.js';
import type { PredictSetup } from '../parallel/predict-worker.js';
import { waitAtLeast, waitAtLeastFor } from '../parallel/spin.js';
import type { Tree } from '../tree/tree.js';
import { type KernelExports, wasmKernelsActive as kernelsAvailable, kernelsWithMemory, type WasmMemory } from '../wasm/kernels.js';
import { type TreeTables, walkTrees } from './walk-trees.js';

/** A model's trees written once into their own kernel memory, with room for one block of rows per thread. */
interface Compiled {
  exports: KernelExports;
  memory: WasmMemory;
  tables: TreeTables[];
  cols: number;
  outputs: number;
  blockRows: number;
  /** Per thread (part 0 is the caller): byte addresses of its block of rows and of its scores. */
  xAt: number[];
  outAt: number[];
  x: Float64Array[];
  out: Float64Array[];
  /** Small enough to keep between calls. */
  keep: boolean;
}

// Per trees array (a fitted model's own): writing 200 trees' tables took a millisecond, which a
// one-row prediction would pay on every call. Tables past KEEP_BYTES (deep forests) are written
// for each call instead of doubling the model's memory for as long as it lives.
const compiled = new WeakMap<Tree[], Compiled | null>();
const KEEP_BYTES = 32 << 20;
// Below this many tree walks (rows x trees, about 20 ms on one thread) a prediction stays on the
// calling thread: the helpers' set-up (a message, instantiating the kernels) costs about a millisecond.
const PARALLEL_WALKS = 1 << 20;

function compile(trees: Tree[], cols: number, outputs: number, blockRows: number, parts: number): Compiled | null {
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
  const k = kernelsWithMemory(tableBytes + parts * (xBytes + outBytes));
  if (k === null) return null;
  const buf = k.memory.buffer;
  // The first 64 KiB are the kernels' own (static data).
  const xAt = Array.from({ length: parts }, (_, p) => 65536 + p * (xBytes + outBytes));
  const outAt = xAt.map((a) => a + xBytes);
  let at = 65536 + parts * (xBytes + outBytes);
  const tables = trees.map((t) => {
    const { layout, end } = writeTables(t, buf, at);
    at = end;
    return layout;
  });
  return {
    exports: k.exports,
    memory: k.memory,
    tables,
    cols,
    outputs,
    blockRows,
    xAt,
    outAt,
    x: xAt.map((a) => new Float64Array(buf, a, blockRows * cols)),
    out: outAt.map((a) => new Float64Array(buf, a, blockRows * outputs)),
    keep: tableBytes <= KEEP_BYTES,
  };
}

/**
 * Raw scores from the first `nTrees` of `trees` (all single-output), walked by the WebAssembly
 * kernels (assembly/predict.ts: several rows at a time, no branches on the data) over blocks of
 * `block` rows, with the same comparisons and the same order of additions as predictRaw's
 * JavaScript walk, so the scores are identical. Large batches are shared with the tree-growth
 * workers on `threads` threads, a block at a time each; each row is still walked by one thread
 * in the same order, so the scores do not depend on the thread count. The trees' tables are
 * written once per trees array (keep passing the same array). Returns null when the kernels are
 * not available or a tree has several outputs (random-forest classifiers stay in JavaScript).
 */
export function wasmPredictRaw(
  src: MatrixSource,
  trees: Tree[],
  nTrees: number,
  outputs: number,
  init: Float64Array,
  block: number,
  threads: number | 'auto' = 1,
): Float64Array | null {
  if (!kernelsAvailable()) return null;
  const { rows, cols } = src;
  const helpers = rows * nTrees >= PARALLEL_WALKS && rows > block ? predictionHelpers(threads) : [];
  const parts = helpers.length + 1;
  let c = compiled.get(trees);
  if (
    c === undefined ||
    (c !== null && (c.tables.length !== trees.length || c.cols !== cols || c.outputs !== outputs || c.blockRows !== block || c.x.length < parts))
  ) {
    c = compile(trees, cols, outputs, block, parts);
    if (c === null || c.keep) compiled.set(trees, c);
  }
  if (c === null) return null;
  const out = new Float64Array(rows * outputs);
  if (parts > 1) walkShared(c, helpers, src, nTrees, init, out);
  else
    for (let start = 0; start < rows; start += block) {
      const n = Math.min(rows, start + block) - start;
      fillBlock(c, 0, src, start, n, init);
      walkTrees(c.exports, c.tables, nTrees, c.xAt[0] as number, c.outAt[0] as number, cols, n, outputs);
      out.set((c.out[0] as Float64Array).subarray(0, n * outputs), start * outputs);
    }
  return out;
}

/** Rows [start, start + n) into thread p's block, its scores set to the starting values. */
function fillBlock(c: Compiled, p: number, src: MatrixSource, start: number, n: number, init: Float64Array): void {
  src.block(start, start + n, (c.x[p] as Float64Array).subarray(0, n * c.cols));
  const scores = c.out[p] as Float64Array;
  for (let r = 0; r < n; r++) scores.set(init, r * c.outputs);
}

/**
 * The batch on the caller and its helpers: each round the caller fills every helper's block and
 * starts them, then fills and walks its own, waits, and copies all the blocks' scores out. The
 * helpers always go back to their event loop before this returns, also when reading X throws.
 */
function walkShared(c: Compiled, helpers: Worker[], src: MatrixSource, nTrees: number, init: Float64Array, out: Float64Array): void {
  const { cols, outputs, blockRows } = c;
  const { rows } = src;
  const parts = helpers.length + 1;
  const control = new Int32Array(new SharedArrayBuffer((CONTROL_SLOTS + parts) * 4));
  helpers.forEach((w, i) => {
    const p = i + 1;
    const setup: PredictSetup = {
      kind: 'predict',
      control,
      memory: c.memory,
      tables: c.tables,
      nTrees,
      cols,
      outputs,
      part: p,
      xAt: c.xAt[p] as number,
      outAt: c.outAt[p] as number,
    };
    w.postMessage(setup);
  });
  try {
    if (!waitAtLeastFor(control, READY, helpers.length, WORKER_START_TIMEOUT_MS))
      throw new Error(`a prediction helper worker did not answer its set-up within ${WORKER_START_TIMEOUT_MS} ms`);
    if (Atomics.load(control, ERROR)) throw new Error('a prediction helper worker could not load the WebAssembly kernels');
    const begins = new Array<number>(parts).fill(0);
    const counts = new Array<number>(parts).fill(0);
    for (let start = 0; start < rows; ) {
      // Parts 1.. first, so the helpers walk while the caller reads its own block.
      for (let p = 1; p <= parts; p++) {
        const part = p % parts;
        const n = Math.min(blockRows, rows - start);
        begins[part] = start;
        counts[part] = n;
        start += n;
        if (part === 0) {
          sendCommand(control, CMD_WALK);
          fillBlock(c, 0, src, begins[0] as number, n, init);
          walkTrees(c.exports, c.tables, nTrees, c.xAt[0] as number, c.outAt[0] as number, cols, n, outputs);
        } else {
          Atomics.store(control, BLOCK_ROWS + part, n);
          if (n > 0) fillBlock(c, part, src, begins[part] as number, n, init);
        }
      }
      waitAtLeast(control, DONE, helpers.length);
      if (Atomics.load(control, ERROR)) throw new Error('a prediction helper worker failed');
      for (let p = 0; p < parts; p++) out.set((c.out[p] as Float64Array).subarray(0, (counts[p] as number) * outputs), (begins[p] as number) * outputs);
    }
  } finally {
    // Only the helpers that counted themselves ready are in the loop to leave.
    sendCommand(control, CMD_YIELD);
    waitAtLeastFor(control, DONE, Atomics.load(control, READY), WORKER_START_TIMEOUT_MS);
  }
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
