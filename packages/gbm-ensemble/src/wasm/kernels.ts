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

interface Exports {
  hist1(
    bins: number,
    cols: number,
    f0: number,
    f1: number,
    order: number,
    begin: number,
    end: number,
    grad: number,
    hess: number,
    hist: number,
    scratch: number,
    block: number,
  ): void;
  partition(col: number, order: number, begin: number, end: number, goesLeft: number, temp: number): number;
  route(
    bins: number,
    cols: number,
    begin: number,
    end: number,
    goesLeft: number,
    children: number,
    feature: number,
    internal: number,
    depth: number,
    values: number,
    scores: number,
    outputs: number,
    k: number,
  ): void;
  binaryGradients(scores: number, labels: number, grad: number, hess: number, begin: number, end: number): void;
}

/** One thread's kernels over a fit's memory. */
export interface FitKernels {
  /** Rows order[begin, end) of features [f0, f1) added into histogram slot `slot`. */
  hist(f0: number, f1: number, begin: number, end: number, slot: number): void;
  /**
   * Rows order[begin, end) split by feature f and the layout's goesLeft table: left rows back into
   * order from begin, right rows into temp from begin. Returns the left count.
   */
  partition(f: number, begin: number, end: number): number;
  /**
   * Adds the tree in the layout's router region to score column k of rows [begin, end). Only
   * for layouts made with scores.
   */
  route(begin: number, end: number, internal: number, depth: number, k: number): void;
  /** Binary log-loss gradients and hessians of rows [begin, end) from the scores and labels (layouts with labels). */
  binaryGradients(begin: number, end: number): void;
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
  temp: number;
  grad: number;
  hess: number;
  /** `slots` histograms of histDoubles f64 each. */
  target: number;
  slots: number;
  histDoubles: number;
  /** 256 bytes: 1 where a bin goes left in the split being applied. */
  goesLeft: number;
  /** Scratch of part p at scratch + p * scratchBytes. */
  scratch: number;
  scratchBytes: number;
  /** Boosting scores, f64 rows x scoreColumns (0 columns: none). */
  scores: number;
  scoreColumns: number;
  /** A routed tree of at most maxLeaves leaves: node tables (see BinnedRouter) and leaf values. */
  router: RouterLayout;
  /** 0/1 labels, f64 per row, for binary gradients (0 when none). */
  labels: number;
}

export interface RouterLayout {
  maxLeaves: number;
  goesLeft: number;
  children: number;
  feature: number;
  values: number;
}

/** What the fit needs beyond histograms: boosting scores for the route kernel. */
export interface ScoreSpec {
  /** Score columns (1, or the classes of a multiclass model). */
  columns: number;
  /** Most leaves a tree can have. */
  maxLeaves: number;
  /** Labels of a binary objective: gradients are then computed by the kernels, on every thread. */
  binaryLabels?: Float64Array;
}

/**
 * A shared memory laid out for rows x cols bins, `slots` histograms of `histDoubles` f64 and the
 * scratch of `parts` threads, or null when it would not fit in 4 GiB (the JavaScript kernels then
 * serve that fit).
 */
export function createFitLayout(rows: number, cols: number, histDoubles: number, slots: number, parts: number, score: ScoreSpec | undefined): FitLayout | null {
  if (wasmApi === undefined) return null;
  const align = (x: number): number => Math.ceil(x / 16) * 16;
  // The first page stays free: the module's own static data (none today) would live there.
  const bins = PAGE;
  // The gather reads whole 16-byte chunks, up to 15 bytes past the last row.
  const colBins = align(bins + rows * cols + 16);
  const order = align(colBins + rows * cols);
  const temp = align(order + rows * 4);
  const grad = align(temp + rows * 4);
  const hess = align(grad + rows * 4);
  const target = align(hess + rows * 4);
  const goesLeft = align(target + slots * histDoubles * 8);
  const scratch = goesLeft + 256;
  const scratchBytes = GATHER_BLOCK * (16 + align(cols));
  const scoreColumns = score?.columns ?? 0;
  const scores = align(scratch + parts * scratchBytes);
  const maxLeaves = score?.maxLeaves ?? 0;
  const nodes = Math.max(0, 2 * maxLeaves - 1);
  const router = { maxLeaves, goesLeft: align(scores + rows * scoreColumns * 8), children: 0, feature: 0, values: 0 };
  router.children = align(router.goesLeft + nodes * 256);
  router.feature = align(router.children + nodes * 8);
  router.values = align(router.feature + nodes * 4);
  const labels = score?.binaryLabels ? align(router.values + maxLeaves * 8) : 0;
  const pages = Math.ceil((labels > 0 ? labels + rows * 8 : router.values + maxLeaves * 8) / PAGE);
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
    grad,
    hess,
    target,
    slots,
    histDoubles,
    goesLeft,
    scratch,
    scratchBytes,
    scores,
    scoreColumns,
    router,
    labels,
  };
}

/** The kernels of thread `part`, instantiated over the layout's memory (once per thread and fit). */
export function instantiateKernels(layout: FitLayout, part: number): FitKernels {
  const mod = wasmModule();
  if (mod === null || wasmApi === undefined) throw new Error('the WebAssembly kernels are not available');
  const exp = new wasmApi.Instance(mod, { env: { memory: layout.memory, abort: () => {} } }).exports as Exports;
  const { rows, cols, bins, colBins, order, temp, grad, hess, target, goesLeft } = layout;
  const scratch = layout.scratch + part * layout.scratchBytes;
  const slotBytes = layout.histDoubles * 8;
  return {
    hist: (f0, f1, begin, end, slot) => exp.hist1(bins, cols, f0, f1, order, begin, end, grad, hess, target + slot * slotBytes, scratch, GATHER_BLOCK),
    partition: (f, begin, end) => exp.partition(colBins + f * rows, order, begin, end, goesLeft, temp),
    route: (begin, end, internal, depth, k) => {
      const { router } = layout;
      exp.route(
        bins,
        cols,
        begin,
        end,
        router.goesLeft,
        router.children,
        router.feature,
        internal,
        depth,
        router.values,
        layout.scores,
        layout.scoreColumns,
        k,
      );
    },
    binaryGradients: (begin, end) => exp.binaryGradients(layout.scores, layout.labels, grad, hess, begin, end),
  };
}
