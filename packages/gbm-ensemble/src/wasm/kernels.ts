import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The WebAssembly kernels of tree growth (assembly/, built into dist/kernels.wasm): SIMD gradient
 * histograms and row partitioning. They run on a shared WebAssembly.Memory that holds copies of
 * the bins (row-major for histograms, column-major for partitions) and the rows, gradients,
 * hessians and histogram of the current fit, so every worker thread instantiates them over the
 * same memory.
 */

// Node's types do not declare the WebAssembly global (lib.dom does); the little used here, typed.
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export interface KernelExports {
  hist1(
    bins: number,
    cols: number,
    f0: number,
    f1: number,
    order: number,
    begin: number,
    end: number,
    gh: number,
    hist: number,
    scratch: number,
    block: number,
  ): void;
  interleave(grad: number, hess: number, gh: number, begin: number, end: number): void;
  addChunks(dest: number, first: number, slotBytes: number, m: number, from: number, to: number): void;
  partition(col: number, order: number, begin: number, end: number, goesLeft: number, left: number, right: number): number;
  copyInts(dst: number, src: number, count: number): void;
  assignLeaves(
    bins: number,
    cols: number,
    order: number,
    n: number,
    begin: number,
    end: number,
    leafBegin: number,
    leafCount: number,
    leaves: number,
    goesLeft: number,
    children: number,
    feature: number,
    internal: number,
    depth: number,
    leafOf: number,
  ): void;
  addLeafValues(
    begin: number,
    end: number,
    leafOf: number,
    values: number,
    scores: number,
    outputs: number,
    k: number,
    labels: number,
    grad: number,
    hess: number,
  ): void;
  binaryGradients(scores: number, labels: number, grad: number, hess: number, begin: number, end: number): void;
  walkTree(
    x: number,
    cols: number,
    rows: number,
    feature: number,
    threshold: number,
    defaultLeft: number,
    children: number,
    internal: number,
    depth: number,
    values: number,
    out: number,
    outputs: number,
    k: number,
  ): void;
  walkTreeMixed(
    x: number,
    cols: number,
    rows: number,
    feature: number,
    threshold: number,
    defaultLeft: number,
    children: number,
    isCat: number,
    catOffset: number,
    catWords: number,
    catBits: number,
    internal: number,
    depth: number,
    values: number,
    out: number,
    outputs: number,
    k: number,
  ): void;
  gossScores(grad: number, hess: number, score: number, counts: number, rows: number): void;
  bestNumericSplit(
    hist: number,
    f: number,
    numBins: number,
    missingBin: number,
    G: number,
    H: number,
    count: number,
    l1: number,
    l2: number,
    mcw: number,
    mcs: number,
    best: number,
    out: number,
  ): number;
  gossLowCounts(score: number, counts: number, rows: number, high: number): void;
  gossSelect(
    score: number,
    rows: number,
    threshold: number,
    ties: number,
    chosen: number,
    multiplier: number,
    grad: number,
    hess: number,
    order: number,
  ): number;
}

/** One thread's kernels over a fit's memory. */
export interface FitKernels {
  /** Doubles in one histogram slot. */
  readonly histDoubles: number;
  /** Rows order[begin, end) of features [f0, f1) added into histogram slot `slot`. */
  hist(f0: number, f1: number, begin: number, end: number, slot: number): void;
  /** Zeroes doubles [from, to) of slot `slot`. */
  zero(slot: number, from: number, to: number): void;
  /** Adds doubles [from, to) of chunk slots 1 .. m - 1 into slot `dest`, in slot order. */
  sum(dest: number, m: number, from: number, to: number): void;
  /** Copies grad and hess of rows [begin, end) into the layout's gh, where hist reads them. */
  interleave(begin: number, end: number): void;
  /**
   * Rows order[begin, end) split by feature f and the layout's goesLeft table: left rows into
   * order (or, `apart`, into temp2) from begin, right rows into temp from begin. Returns the left
   * count.
   */
  partition(f: number, begin: number, end: number, apart: boolean): number;
  /** Copies `count` rows from temp (right rows) or temp2 (left rows) at `src` into order at `dst`. */
  place(rights: boolean, src: number, count: number, dst: number): void;
  /**
   * The leaf of the grown tree in the router region of each row at positions [begin, end) of
   * order, into the layout's leafOf: positions below n by the leaf ranges in the router region
   * (the tree's sample, as growth left it), the rest by walking the tree. Only for layouts made
   * with scores.
   */
  assignLeaves(begin: number, end: number, n: number, leaves: number, internal: number, depth: number): void;
  /**
   * Rows [begin, end): score column k += the router region's value of the row's leaf (see
   * assignLeaves). With `gradients` (layouts with labels, one score column) the rows' binary
   * gradients are recomputed in the same pass.
   */
  addLeafValues(begin: number, end: number, k: number, gradients: boolean): void;
  /** Binary log-loss gradients and hessians of rows [begin, end) from the scores and labels (layouts with labels). */
  binaryGradients(begin: number, end: number): void;
  /**
   * The best split of numeric feature f in the histogram at byte address `hist` that beats gain
   * `best` (see assembly/split.ts); true with gain, threshold bin, missing-left, left gradient,
   * left hessian, right hessian and left count in `splitOut`, false when none does.
   */
  bestNumericSplit(
    hist: number,
    f: number,
    numBins: number,
    missingBin: number,
    G: number,
    H: number,
    count: number,
    l1: number,
    l2: number,
    mcw: number,
    mcs: number,
    best: number,
  ): boolean;
  /** Where bestNumericSplit writes its split. */
  readonly splitOut: Float64Array;
  /** GOSS scores |g h| of every row, and the counts of their high 16 bits (layouts made for GOSS). */
  gossScores(): void;
  /** The counts of the low 16 bits of the scores whose high bits are `high`. */
  gossLowCounts(high: number): void;
  /** The GOSS sample into order (see assembly/goss.ts, chosen ranks in the layout's bitset); returns its size. */
  gossSelect(threshold: number, ties: number, multiplier: number): number;
}

const PAGE = 65536;
// The module imports its memory with at most 65536 pages (4 GiB, all that wasm32 addresses).
const MAX_PAGES = 65536;
// Rows gathered per block when a node's rows are scattered (see assembly/hist.ts): 64 measured
// best of 32..256 on 1M rows.
const GATHER_BLOCK = 64;

let module: object | null | undefined;
let enabled = true;

function load(): object | null {
  if (wasmApi === undefined) return null;
  for (const rel of ['./kernels.wasm', '../../dist/kernels.wasm']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(path)) continue;
    try {
      return new wasmApi.Module(readFileSync(path));
    } catch {
      // A runtime without wasm SIMD or threads: the JavaScript kernels take over.
      return null;
    }
  }
  return null;
}

function wasmModule(): object | null {
  if (module === undefined) module = load();
  return module;
}

/**
 * Switches the WebAssembly kernels off (false) or back on (true) for fits started afterwards in
 * this process. Both kernel sets add the same numbers in the same order, so models are identical
 * either way; the switch exists to compare them. Returns whether the WebAssembly kernels are in use.
 */
export function useWasmKernels(on: boolean): boolean {
  enabled = on;
  return wasmKernelsActive();
}

export function wasmKernelsActive(): boolean {
  return enabled && wasmModule() !== null;
}

/** Byte addresses of one fit's buffers inside the shared memory. */
export interface FitLayout {
  memory: WasmMemory;
  rows: number;
  cols: number;
  /** Row-major bins, rows x cols. */
  bins: number;
  /** Column-major bins, cols x rows. */
  colBins: number;
  order: number;
  /** Right rows of a partition. */
  temp: number;
  /** Left rows of a partition split between threads. */
  temp2: number;
  grad: number;
  hess: number;
  /** f32 pairs: each row's gradient and hessian, interleaved (what the histogram kernel reads). */
  gh: number;
  /**
   * `slots` histograms of histDoubles f64 each: first the `chunkSlots` that large nodes are built
   * in, then a pool that tree growth takes its nodes' histograms from (kernels write them in
   * place).
   */
  target: number;
  slots: number;
  chunkSlots: number;
  histDoubles: number;
  /** 256 bytes: 1 where a bin goes left in the split being applied. */
  goesLeft: number;
  /** 64 bytes per thread: a split found by bestNumericSplit. */
  splitOut: number;
  /** Scratch of part p at scratch + p * scratchBytes. */
  scratch: number;
  scratchBytes: number;
  /** Boosting scores, f64 rows x scoreColumns (0 columns: none). */
  scores: number;
  scoreColumns: number;
  /** Each row's leaf in the last grown tree, u16 (with scores only). */
  leafOf: number;
  /**
   * A grown tree of at most maxLeaves leaves: node tables (see BinnedRouter), leaf values and each
   * leaf's range of order.
   */
  router: RouterLayout;
  /** 0/1 labels, f64 per row, for binary gradients (0 when none). */
  labels: number;
  /** GOSS buffers (0 when none): f32 score per row, 65,536 u32 digit counts, a bitset of ranks. */
  gossScore: number;
  gossCounts: number;
  gossChosen: number;
}

export interface RouterLayout {
  maxLeaves: number;
  goesLeft: number;
  children: number;
  feature: number;
  values: number;
  leafBegin: number;
  leafCount: number;
}

/** What the fit needs beyond histograms: boosting scores for the score update kernel. */
export interface ScoreSpec {
  /** Score columns (1, or the classes of a multiclass model). */
  columns: number;
  /** Most leaves a tree can have. */
  maxLeaves: number;
  /** Labels of a binary objective: gradients are then computed by the kernels, on every thread. */
  binaryLabels?: Float64Array;
  /** Room for GOSS sampling by the kernels. */
  goss?: boolean;
}

/**
 * A shared memory laid out for rows x cols bins, chunkSlots + poolSlots histograms of
 * `histDoubles` f64 and the scratch of `parts` threads, or null when it would not fit in 4 GiB
 * (the JavaScript kernels then serve that fit).
 */
export function createFitLayout(
  rows: number,
  cols: number,
  histDoubles: number,
  chunkSlots: number,
  poolSlots: number,
  parts: number,
  score: ScoreSpec | undefined,
): FitLayout | null {
  const slots = chunkSlots + poolSlots;
  if (wasmApi === undefined) return null;
  const align = (x: number): number => Math.ceil(x / 16) * 16;
  // The first page stays free: the module's own static data (none today) would live there.
  const bins = PAGE;
  // The gather reads whole 16-byte chunks, up to 15 bytes past the last row.
  const colBins = align(bins + rows * cols + 16);
  const order = align(colBins + rows * cols);
  const temp = align(order + rows * 4);
  const temp2 = align(temp + rows * 4);
  const grad = align(temp2 + rows * 4);
  const hess = align(grad + rows * 4);
  const gh = align(hess + rows * 4);
  const target = align(gh + rows * 8);
  const goesLeft = align(target + slots * histDoubles * 8);
  const splitOut = goesLeft + 256;
  const scratch = splitOut + parts * 64;
  const scratchBytes = GATHER_BLOCK * (16 + align(cols));
  const scoreColumns = score?.columns ?? 0;
  const scores = align(scratch + parts * scratchBytes);
  const maxLeaves = score?.maxLeaves ?? 0;
  const nodes = Math.max(0, 2 * maxLeaves - 1);
  const router = { maxLeaves, goesLeft: align(scores + rows * scoreColumns * 8), children: 0, feature: 0, values: 0, leafBegin: 0, leafCount: 0 };
  router.children = align(router.goesLeft + nodes * 256);
  router.feature = align(router.children + nodes * 8);
  router.values = align(router.feature + nodes * 4);
  router.leafBegin = align(router.values + maxLeaves * 8);
  router.leafCount = align(router.leafBegin + maxLeaves * 4);
  const routerEnd = router.leafCount + maxLeaves * 4;
  const leafOf = scoreColumns > 0 ? align(routerEnd) : 0;
  const leafOfEnd = leafOf > 0 ? leafOf + rows * 2 : routerEnd;
  const labels = score?.binaryLabels ? align(leafOfEnd) : 0;
  const labelsEnd = labels > 0 ? labels + rows * 8 : leafOfEnd;
  const gossScore = score?.goss ? align(labelsEnd) : 0;
  const gossCounts = gossScore > 0 ? align(gossScore + rows * 4) : 0;
  const gossChosen = gossScore > 0 ? align(gossCounts + (1 << 18)) : 0;
  const pages = Math.ceil((gossScore > 0 ? gossChosen + ((rows >>> 5) + 1) * 4 : labelsEnd) / PAGE);
  if (pages > MAX_PAGES) return null;
  const memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  if (score?.binaryLabels) new Float64Array(memory.buffer, labels, rows).set(score.binaryLabels);
  return {
    memory,
    rows,
    cols,
    bins,
    colBins,
    order,
    temp,
    temp2,
    grad,
    hess,
    gh,
    target,
    slots,
    chunkSlots,
    histDoubles,
    goesLeft,
    splitOut,
    scratch,
    scratchBytes,
    scores,
    scoreColumns,
    leafOf,
    router,
    labels,
    gossScore,
    gossCounts,
    gossChosen,
  };
}

/**
 * The kernels' exports over a new shared memory of at least `bytes` (above the first page, which
 * stays free), or null when the WebAssembly kernels are off, missing, or the size is beyond 4 GiB.
 */
export function kernelsWithMemory(bytes: number): { exports: KernelExports; memory: WasmMemory } | null {
  const mod = wasmKernelsActive() ? wasmModule() : null;
  if (mod === null || wasmApi === undefined) return null;
  const pages = 1 + Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) return null;
  const memory = new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  return { exports: kernelsOver(memory), memory };
}

/** The kernels instantiated over an existing memory (another thread's, sent in a message). */
export function kernelsOver(memory: WasmMemory): KernelExports {
  const mod = wasmModule();
  if (mod === null || wasmApi === undefined) throw new Error('the WebAssembly kernels are not available');
  return new wasmApi.Instance(mod, { env: { memory, abort: () => {} } }).exports as KernelExports;
}

/** The kernels of thread `part`, instantiated over the layout's memory (once per thread and fit). */
export function instantiateKernels(layout: FitLayout, part: number): FitKernels {
  const exp = kernelsOver(layout.memory);
  const { rows, cols, bins, colBins, order, temp, temp2, grad, hess, gh, target, goesLeft } = layout;
  const scratch = layout.scratch + part * layout.scratchBytes;
  const slotBytes = layout.histDoubles * 8;
  const f64 = new Float64Array(layout.memory.buffer);
  const splitOut = layout.splitOut + part * 64;
  return {
    splitOut: new Float64Array(layout.memory.buffer, splitOut, 8),
    bestNumericSplit: (hist, f, numBins, missingBin, G, H, count, l1, l2, mcw, mcs, best) =>
      exp.bestNumericSplit(hist, f, numBins, missingBin, G, H, count, l1, l2, mcw, mcs, best, splitOut) === 1,
    histDoubles: layout.histDoubles,
    hist: (f0, f1, begin, end, slot) => exp.hist1(bins, cols, f0, f1, order, begin, end, gh, target + slot * slotBytes, scratch, GATHER_BLOCK),
    interleave: (begin, end) => exp.interleave(grad, hess, gh, begin, end),
    zero: (slot, from, to) => {
      const at = (target + slot * slotBytes) / 8;
      f64.fill(0, at + from, at + to);
    },
    sum: (dest, m, from, to) => exp.addChunks(target + dest * slotBytes, target, slotBytes, m, from, to),
    partition: (f, begin, end, apart) => exp.partition(colBins + f * rows, order, begin, end, goesLeft, apart ? temp2 : order, temp),
    place: (rights, src, count, dst) => exp.copyInts(order + dst * 4, (rights ? temp : temp2) + src * 4, count),
    assignLeaves: (begin, end, n, leaves, internal, depth) => {
      const { router } = layout;
      exp.assignLeaves(
        bins,
        cols,
        order,
        n,
        begin,
        end,
        router.leafBegin,
        router.leafCount,
        leaves,
        router.goesLeft,
        router.children,
        router.feature,
        internal,
        depth,
        layout.leafOf,
      );
    },
    addLeafValues: (begin, end, k, gradients) =>
      exp.addLeafValues(begin, end, layout.leafOf, layout.router.values, layout.scores, layout.scoreColumns, k, gradients ? layout.labels : 0, grad, hess),
    binaryGradients: (begin, end) => exp.binaryGradients(layout.scores, layout.labels, grad, hess, begin, end),
    gossScores: () => exp.gossScores(grad, hess, layout.gossScore, layout.gossCounts, rows),
    gossLowCounts: (high) => exp.gossLowCounts(layout.gossScore, layout.gossCounts, rows, high),
    gossSelect: (threshold, ties, multiplier) => exp.gossSelect(layout.gossScore, rows, threshold, ties, layout.gossChosen, multiplier, grad, hess, order),
  };
}
