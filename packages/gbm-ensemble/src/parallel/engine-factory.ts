import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Rng } from '@aiffel/core';
import { startWorker, WORKER_START_TIMEOUT_MS, warnWorkerFallback } from '@aiffel/core';
import { chooseRanks, gossPlan, selectDigit } from '../boosting/sampling.js';
import { transposeBins } from '../data/transpose.js';
import type { BinnedRouter } from '../tree/binned-router.js';
import type { HistEngine } from '../tree/hist-engine.js';
import { histSize } from '../tree/histogram.js';
import { partitionRows } from '../tree/partition.js';
import { createFitLayout, type FitKernels, type ScoreSpec, wasmKernelsActive } from '../wasm/kernels.js';
import { buildChunks, chunkCount, slotCount, sumChunks } from './chunks.js';
import { sendCommand } from './command-loop.js';
import {
  assignShare,
  BEGIN,
  CHUNKS,
  CMD_ADD,
  CMD_ASSIGN,
  CMD_BUILD,
  CMD_CHUNKS,
  CMD_GRADIENTS,
  CMD_PARTITION,
  CMD_PLACE,
  CMD_SUM,
  CMD_YIELD,
  COLUMN,
  CONTROL_SLOTS,
  DEPTH,
  DEST,
  DONE,
  END,
  ERROR,
  FEATURE,
  GRADIENTS,
  INTERNAL,
  LEAVES,
  LEFT,
  NEXT,
  placeShare,
  READY,
  SAMPLE,
  type SetupMessage,
  share,
} from './control.js';
import { type KernelBuffers, kernelViews, makeKernels } from './kernel.js';
import { waitAtLeast, waitAtLeastFor } from './spin.js';

/** A HistEngine for one fit; call release() once training ends (also after an error). */
export interface TrainingEngine extends HistEngine {
  /**
   * Boosting scores (rows x columns of the ScoreSpec) in the engine's memory, when the engine was
   * made with a ScoreSpec and runs the wasm kernels; the trainer keeps its scores here so that
   * addTree can update them.
   */
  readonly scores: Float64Array | undefined;
  /**
   * Adds `values[leaf]` of a just grown tree to score column k of every row (on all threads):
   * order[0, n) must be the tree's sample as growth left it (leaf l at leafBegin[l] ..
   * + leafCount[l]) and order[n, rows) the rows outside the sample, which walk the tree. With
   * binary labels the rows' gradients for the next round are computed in the same pass. Returns
   * false when this engine cannot (no scores here, or a tree with more leaves than the
   * ScoreSpec said), and the caller updates the scores itself.
   */
  addTree(router: BinnedRouter, values: Float64Array, k: number, leafBegin: Int32Array, leafCount: Int32Array, n: number): boolean;
  /**
   * Binary log-loss gradients and hessians of every row from `scores` into `grad` / `hess` (on
   * all threads), unless the last addTree already computed them. Returns false when this engine
   * cannot (not made with binary labels), and the caller computes them itself.
   */
  binaryGradients(): boolean;
  /**
   * A GOSS sample made in the engine's memory (the same sample GossSampler makes from the same
   * draws of `rng`): its rows in order[0, n), the rest in order[n, rows), the drawn rows'
   * gradients and hessians scaled. Returns n, or -1 when this engine cannot (not made for GOSS),
   * and the caller samples itself.
   */
  gossSample(topRate: number, otherRate: number, rng: Rng): number;
  /** Lets the workers go back to idling. */
  release(): void;
}

/** The binned data a fit reads (a Dataset). */
export interface BinnedData {
  readonly rows: number;
  readonly cols: number;
  /** Row-major, on a SharedArrayBuffer for worker threads to read. */
  readonly bins: Uint8Array;
  /** Column-major (made on first use). */
  readonly binsByFeature: Uint8Array;
}

// Below this many (row, feature) cells a histogram is built on the calling thread, and below this
// many rows gradients and score updates: waking a worker costs tens of microseconds.
const PARALLEL_CELLS = 1 << 16;
const PARALLEL_ROWS = 1 << 15;
// Below this many rows a node is partitioned on the calling thread.
const PARALLEL_PARTITION = 1 << 16;
// Node histograms kept in the fit's shared memory take at most this many doubles (128 MiB); past
// that, tree growth gets plain arrays and each build is copied out.
const POOL_BUDGET = 1 << 24;

const workers: Worker[] = [];
// Why the last worker start failed; later fits then stay on one thread instead of waiting again.
let startFailure: string | undefined;

function workerFile(): string | undefined {
  for (const rel of ['./hist-worker.js', '../../dist/hist-worker.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Threads that will really be used for `requested` (1 when the worker script is not built). */
export function resolveThreads(requested: number | 'auto'): number {
  const n = requested === 'auto' ? availableParallelism() : requested;
  return n > 1 && startFailure === undefined && workerFile() !== undefined ? n : 1;
}

/**
 * Makes sure `count` helper workers are running and returns how many threads can be used. A
 * worker that cannot start (a bad inherited option, no memory, a missing file) costs at most the
 * start-up deadline, is reported once as a warning, and training goes on with the workers that
 * did start (often none: one thread).
 */
function startWorkers(count: number, work = 'training'): number {
  const file = workerFile() as string;
  while (workers.length < count) {
    try {
      const started = startWorker(file, { name: 'gbm-ensemble tree-growth worker' });
      started.waitStartedSync();
      const w = started.worker;
      w.unref();
      w.on('exit', () => {
        const at = workers.indexOf(w);
        if (at >= 0) workers.splice(at, 1);
      });
      workers.push(w);
    } catch (e) {
      startFailure = e instanceof Error ? e.message : String(e);
      warnWorkerFallback(startFailure, `${work} goes on with ${workers.length + 1} thread(s)`);
      return workers.length + 1;
    }
  }
  return count + 1;
}

// Training engines on several threads not yet released: their workers are in their command loops,
// where a prediction's set-up message would wait unread.
let enginesActive = 0;

/**
 * Idle helper workers for a batch prediction on `requested` threads (they run predict-worker.ts'
 * loop until told to yield). None while a fit holds the workers (a prediction made from inside a
 * fit stays on its thread) or when workers cannot start.
 */
export function predictionHelpers(requested: number | 'auto'): Worker[] {
  const wanted = resolveThreads(requested);
  if (wanted < 2 || enginesActive > 0) return [];
  const threads = startWorkers(wanted - 1, 'prediction');
  return workers.slice(0, threads - 1);
}

function shared<T extends Int32Array | Float32Array | Float64Array>(Ctor: new (b: SharedArrayBuffer) => T, length: number, bytes: number): T {
  return new Ctor(new SharedArrayBuffer(length * bytes));
}

/**
 * The fit's buffers: one shared WebAssembly memory holding copies of the bins (2 x rows x cols
 * bytes) when the wasm kernels can serve this fit (single-output trees), otherwise plain shared
 * arrays over the dataset's own bins.
 */
function allocate(ds: BinnedData, outputs: number, threads: number, pool: number, score: ScoreSpec | undefined): KernelBuffers {
  const { rows, cols } = ds;
  const histDoubles = histSize(cols, outputs + 1);
  const chunkSlots = slotCount(rows, histDoubles);
  const poolSlots = Math.max(0, Math.min(pool, Math.floor(POOL_BUDGET / histDoubles)));
  const layout = outputs === 1 && wasmKernelsActive() ? createFitLayout(rows, cols, histDoubles, chunkSlots, poolSlots, threads, score) : null;
  if (layout !== null) {
    const buf = layout.memory.buffer;
    new Uint8Array(buf, layout.bins, rows * cols).set(ds.bins.subarray(0, rows * cols));
    transposeBins(ds.bins, rows, cols, new Uint8Array(buf, layout.colBins, rows * cols));
    return { kind: 'wasm', layout, cols };
  }
  return {
    kind: 'js',
    bins: ds.bins,
    cols,
    outputs,
    order: shared(Int32Array, rows, 4),
    grad: shared(Float32Array, rows * outputs, 4),
    hess: shared(Float32Array, rows, 4),
    target: shared(Float64Array, (chunkSlots + poolSlots) * histDoubles, 8),
    histDoubles,
    chunkSlots,
  };
}

/**
 * A training engine over `threads` threads. Histograms: large nodes are built in row chunks
 * (chunks.ts) that threads take as they come; smaller ones by splitting the features, every
 * thread writing its own part of one histogram, in place when it is one of the engine's own
 * (newHist). Binary gradients and score updates (wasm kernels only) split the rows, and so do
 * the partitions of nodes of 65,536 rows or more. Workers are created once per process and reused
 * by every fit.
 */
export function createHistEngine(ds: BinnedData, outputs: number, requested: number | 'auto', pool: number, score?: ScoreSpec): TrainingEngine {
  const { rows, cols } = ds;
  const wanted = ds.bins.buffer instanceof SharedArrayBuffer ? Math.min(resolveThreads(requested), cols) : 1;
  const threads = wanted > 1 ? startWorkers(wanted - 1) : 1;
  const buffers = allocate(ds, outputs, threads, pool, score);
  const { order, grad, hess, slots } = kernelViews(buffers);
  const chunkSlots = buffers.kind === 'wasm' ? buffers.layout.chunkSlots : buffers.chunkSlots;
  const histDoubles = slots[0]?.length as number;
  const perFeature = histDoubles / cols;
  // Pool slots not yet handed out by newHist; slotOf finds a pool histogram's slot again.
  let nextPool = chunkSlots;
  const slotOf = new WeakMap<Float64Array, number>();
  const kernels = makeKernels(buffers, 0);
  const control = shared(Int32Array, CONTROL_SLOTS + threads, 4);
  if (threads > 1) {
    for (let p = 1; p < threads; p++) {
      const msg: SetupMessage = { kind: 'fit', control, buffers, part: p, threads };
      (workers[p - 1] as Worker).postMessage(msg);
    }
  }
  const waitFor = (slot: number, count: number): void => waitAtLeast(control, slot, count);
  const waitReady = (): void => {
    if (!waitAtLeastFor(control, READY, threads - 1, WORKER_START_TIMEOUT_MS))
      throw new Error(`a tree-growth worker did not answer its set-up within ${WORKER_START_TIMEOUT_MS} ms`);
  };
  let ready = threads === 1;
  let released = threads === 1;
  if (!released) enginesActive++;
  /** Runs `cmd` on the workers while the caller does part 0 in `own`. */
  const parallel = (cmd: number, begin: number, end: number, own: () => void): void => {
    if (!ready) {
      waitReady();
      ready = true;
      if (Atomics.load(control, ERROR)) throw new Error('a tree-growth worker could not start');
    }
    Atomics.store(control, BEGIN, begin);
    Atomics.store(control, END, end);
    sendCommand(control, cmd);
    own();
    waitFor(DONE, threads - 1);
    if (Atomics.load(control, ERROR)) throw new Error('a tree-growth worker failed');
  };

  let partition: HistEngine['partition'];
  if (buffers.kind === 'wasm' && kernels.partition && kernels.place) {
    const { partition: split, place } = kernels;
    const goesLeftAt = new Uint8Array(buffers.layout.memory.buffer, buffers.layout.goesLeft, 256);
    partition = (begin, end, f, goesLeft) => {
      goesLeftAt.set(goesLeft);
      const n = end - begin;
      if (threads === 1 || n < PARALLEL_PARTITION) {
        const nl = split(f, begin, end, false);
        place(true, begin, n - nl, begin + nl);
        return nl;
      }
      // Each thread splits its share into the two buffers, then copies it to its final place
      // (all sources are buffers, so the copies need no order between threads).
      Atomics.store(control, FEATURE, f);
      parallel(CMD_PARTITION, begin, end, () => {
        const [b, e] = share(begin, n, 0, threads);
        Atomics.store(control, LEFT, split(f, b, e, true));
      });
      parallel(CMD_PLACE, begin, end, () => placeShare(control, place, begin, end, 0, threads));
      let left = 0;
      for (let p = 0; p < threads; p++) left += Atomics.load(control, LEFT + p);
      return left;
    };
  } else {
    const temp = new Int32Array(rows);
    partition = (begin, end, f, goesLeft) => partitionRows(ds.binsByFeature, f * rows, order, begin, end, goesLeft, temp);
  }

  let scores: Float64Array | undefined;
  let addTree: TrainingEngine['addTree'] = () => false;
  let binaryGradients: TrainingEngine['binaryGradients'] = () => false;
  // Set by a score update that also computed the gradients, taken by the next binaryGradients.
  let gradientsFresh = false;
  if (buffers.kind === 'wasm' && buffers.layout.labels > 0 && kernels.binaryGradients) {
    const gradients = kernels.binaryGradients;
    binaryGradients = () => {
      if (gradientsFresh) gradientsFresh = false;
      else if (threads === 1 || rows < PARALLEL_ROWS) gradients(0, rows);
      else
        parallel(CMD_GRADIENTS, 0, rows, () => {
          const [b, e] = share(0, rows, 0, threads);
          gradients(b, e);
        });
      return true;
    };
  }
  if (buffers.kind === 'wasm' && buffers.layout.scoreColumns > 0 && kernels.assignLeaves && kernels.addLeafValues) {
    const { assignLeaves, addLeafValues } = kernels;
    const { layout } = buffers;
    const { router } = layout;
    const buf = layout.memory.buffer;
    scores = new Float64Array(buf, layout.scores, rows * layout.scoreColumns);
    const withGradients = layout.labels > 0 && layout.scoreColumns === 1;
    const nodes = 2 * router.maxLeaves - 1;
    const goesLeftAt = new Uint8Array(buf, router.goesLeft, nodes * 256);
    const childrenAt = new Int32Array(buf, router.children, nodes * 2);
    const featureAt = new Int32Array(buf, router.feature, nodes);
    const valuesAt = new Float64Array(buf, router.values, router.maxLeaves);
    const leafBeginAt = new Int32Array(buf, router.leafBegin, router.maxLeaves);
    const leafCountAt = new Int32Array(buf, router.leafCount, router.maxLeaves);
    addTree = (r, values, k, leafBegin, leafCount, n) => {
      if (values.length > router.maxLeaves) return false;
      goesLeftAt.set(r.goesLeft);
      childrenAt.set(r.children);
      featureAt.set(r.feature);
      valuesAt.set(values);
      leafBeginAt.set(leafBegin);
      leafCountAt.set(leafCount);
      const leaves = values.length;
      // Two passes: each row's leaf (by position of order), then the scores and gradients in row
      // order, sequential and two rows per SIMD step (one pass by position touched four arrays
      // at scattered rows).
      if (threads === 1 || rows < PARALLEL_ROWS) {
        assignLeaves(0, rows, n, leaves, r.internal, r.depth);
        addLeafValues(0, rows, k, withGradients);
      } else {
        Atomics.store(control, SAMPLE, n);
        Atomics.store(control, LEAVES, leaves);
        Atomics.store(control, INTERNAL, r.internal);
        Atomics.store(control, DEPTH, r.depth);
        Atomics.store(control, COLUMN, k);
        Atomics.store(control, GRADIENTS, withGradients ? 1 : 0);
        const [b, e] = share(0, rows, 0, threads);
        parallel(CMD_ASSIGN, 0, rows, () => assignShare(assignLeaves, 0, rows, n, 0, threads, leaves, r.internal, r.depth));
        parallel(CMD_ADD, 0, rows, () => addLeafValues(b, e, k, withGradients));
      }
      gradientsFresh = withGradients;
      return true;
    };
  }

  let numericSplit: TrainingEngine['numericSplit'] = () => false;
  if (buffers.kind === 'wasm') {
    const k = kernels as FitKernels;
    const out = k.splitOut;
    const memory = buffers.layout.memory.buffer;
    numericSplit = (hist, f, numBins, missingBin, node, p, best) => {
      if (hist.buffer !== memory) return false;
      const G = node.g[0] as number;
      if (
        !k.bestNumericSplit(
          hist.byteOffset,
          f,
          numBins,
          missingBin,
          G,
          node.h,
          node.count,
          p.lambdaL1,
          p.lambdaL2,
          p.minChildWeight,
          p.minChildSamples,
          Math.max(best.gain, p.minSplitGain),
        )
      )
        return true;
      const lc = out[6] as number;
      best.setSizes(out[0] as number, out[4] as number, out[5] as number, lc, node.count - lc);
      best.setNumeric1(f, out[1] as number, out[2] === 1, out[3] as number, G);
      return true;
    };
  }

  let gossSample: TrainingEngine['gossSample'] = () => -1;
  if (buffers.kind === 'wasm' && buffers.layout.gossScore > 0) {
    const k = kernels as FitKernels;
    const { layout } = buffers;
    const counts = new Uint32Array(layout.memory.buffer, layout.gossCounts, 1 << 16);
    const chosen = new Uint32Array(layout.memory.buffer, layout.gossChosen, (rows >>> 5) + 1);
    gossSample = (topRate, otherRate, rng) => {
      const plan = gossPlan(rows, topRate, otherRate);
      k.gossScores();
      const [high, need] = selectDigit(counts, plan.topK);
      k.gossLowCounts(high);
      const [low, ties] = selectDigit(counts, need);
      chooseRanks(chosen, plan.otherK, plan.restTotal, rng);
      return k.gossSelect(((high << 16) | low) >>> 0, ties, plan.multiplier);
    };
  }

  return {
    order,
    grad,
    hess,
    scores,
    gossSample,
    numericSplit,
    addTree,
    binaryGradients,
    loadGradients() {
      kernels.interleave?.(0, rows);
    },
    newHist() {
      if (nextPool >= slots.length) return new Float64Array(histDoubles);
      const h = slots[nextPool] as Float64Array;
      slotOf.set(h, nextPool++);
      return h;
    },
    build(begin, end, hist) {
      // A pool histogram is written in place; any other is built in chunk slot 0 and copied.
      const dest = slotOf.get(hist) ?? 0;
      Atomics.store(control, DEST, dest);
      const m = chunkCount(end - begin, chunkSlots);
      if (m > 1) {
        Atomics.store(control, CHUNKS, m);
        Atomics.store(control, NEXT, 0);
        if (threads === 1) {
          buildChunks(control, kernels, cols, begin, end);
          sumChunks(control, kernels, 0, histDoubles);
        } else {
          parallel(CMD_CHUNKS, begin, end, () => buildChunks(control, kernels, cols, begin, end));
          parallel(CMD_SUM, begin, end, () => {
            const [from, to] = share(0, histDoubles, 0, threads);
            sumChunks(control, kernels, from, to);
          });
        }
      } else if (threads === 1 || (end - begin) * cols < PARALLEL_CELLS) {
        kernels.zero(dest, 0, histDoubles);
        kernels.hist(0, cols, begin, end, dest);
      } else {
        // Too few rows to chunk: threads split the features.
        const [f0, f1] = share(0, cols, 0, threads);
        parallel(CMD_BUILD, begin, end, () => {
          kernels.zero(dest, f0 * perFeature, f1 * perFeature);
          kernels.hist(f0, f1, begin, end, dest);
        });
      }
      if (dest === 0) hist.set(slots[0] as Float64Array);
    },
    buildFeatures(begin, end, hist, features) {
      // On this thread: at sqrt(cols) features per node the work is too small to share.
      const dest = slotOf.get(hist) ?? 0;
      for (let i = 0; i < features.length; i++) {
        const f = features[i] as number;
        kernels.zero(dest, f * perFeature, (f + 1) * perFeature);
        kernels.hist(f, f + 1, begin, end, dest);
        if (dest === 0) hist.set((slots[0] as Float64Array).subarray(f * perFeature, (f + 1) * perFeature), f * perFeature);
      }
    },
    partition,
    release() {
      if (released) return;
      released = true;
      enginesActive--;
      waitReady();
      sendCommand(control, CMD_YIELD);
      waitFor(DONE, threads - 1);
    },
  };
}
