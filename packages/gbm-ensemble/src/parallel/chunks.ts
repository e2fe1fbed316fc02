import { CHUNKS, NEXT, share } from './control.js';
import type { ThreadKernels } from './kernel.js';

/**
 * Row chunks of large nodes. A large node's histogram is summed per chunk of its rows (threads
 * take chunks as they come) and the chunks' histograms are then added in chunk order. Splitting
 * rows rather than features lets each thread pay for its own rows' cache misses only (deep nodes'
 * rows are scattered over the data: a miss per row that every feature-splitting thread would pay
 * again). Chunks depend on the node's size only, never on the thread count, so a model is the same
 * on any number of threads.
 */
export const CHUNK_ROWS = 1 << 13;
// Nodes between 2 * MIN_CHUNK_ROWS and 2 * CHUNK_ROWS rows get two chunks.
const MIN_CHUNK_ROWS = 1 << 11;
const MAX_CHUNKS = 64;
// Histogram slots take at most this many doubles in all (64 MiB): many-class forests get fewer chunks.
const SLOT_BUDGET = 1 << 23;

/** Histogram slots a fit over `rows` rows needs. */
export function slotCount(rows: number, histDoubles: number): number {
  return Math.max(1, Math.min(MAX_CHUNKS, Math.floor(rows / CHUNK_ROWS), Math.floor(SLOT_BUDGET / histDoubles)));
}

/** Chunks of a node of n rows (1: not chunked). */
export function chunkCount(n: number, slots: number): number {
  if (n < 2 * MIN_CHUNK_ROWS) return 1;
  return Math.min(slots, Math.max(2, Math.floor(n / CHUNK_ROWS)));
}

/** hist = slots[0] + slots[1] + ... + slots[m - 1], added in that order. */
export function sumSlots(slots: Float64Array[], m: number, hist: Float64Array): void {
  hist.set(slots[0] as Float64Array);
  for (let c = 1; c < m; c++) {
    const s = slots[c] as Float64Array;
    for (let i = 0; i < hist.length; i++) hist[i] = (hist[i] as number) + (s[i] as number);
  }
}

/** Takes chunks of rows [begin, end) from the shared counter until none is left, each into its own slot. */
export function buildChunks(control: Int32Array, kernels: ThreadKernels, slots: Float64Array[], cols: number, begin: number, end: number): void {
  const m = Atomics.load(control, CHUNKS);
  for (;;) {
    const c = Atomics.add(control, NEXT, 1);
    if (c >= m) return;
    const [b, e] = share(begin, end - begin, c, m);
    (slots[c] as Float64Array).fill(0);
    kernels.hist(0, cols, b, e, c);
  }
}
