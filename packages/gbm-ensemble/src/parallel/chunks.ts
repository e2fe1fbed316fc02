import { CHUNKS, DEST, NEXT, share } from './control.js';
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
// Enough chunks for threads to even out their loads; every chunk past the first is one more
// histogram to add up.
const MAX_CHUNKS = 16;
// Chunk histograms take at most this many doubles in all (64 MiB): many-class forests get fewer chunks.
const SLOT_BUDGET = 1 << 23;

/** Chunk histogram slots a fit over `rows` rows needs. */
export function slotCount(rows: number, histDoubles: number): number {
  return Math.max(1, Math.min(MAX_CHUNKS, Math.floor(rows / CHUNK_ROWS), Math.floor(SLOT_BUDGET / histDoubles)));
}

/** Chunks of a node of n rows (1: not chunked). */
export function chunkCount(n: number, slots: number): number {
  if (n < 2 * MIN_CHUNK_ROWS) return 1;
  return Math.min(slots, Math.max(2, Math.floor(n / CHUNK_ROWS)));
}

/**
 * Takes chunks of rows [begin, end) from the shared counter until none is left: chunk 0 into the
 * destination slot DEST, chunk c > 0 into slot c (zeroed here).
 */
export function buildChunks(control: Int32Array, kernels: ThreadKernels, cols: number, begin: number, end: number): void {
  const m = Atomics.load(control, CHUNKS);
  const dest = Atomics.load(control, DEST);
  for (;;) {
    const c = Atomics.add(control, NEXT, 1);
    if (c >= m) return;
    const [b, e] = share(begin, end - begin, c, m);
    const slot = c === 0 ? dest : c;
    kernels.zero(slot, 0, kernels.histDoubles);
    kernels.hist(0, cols, b, e, slot);
  }
}

/** Doubles [from, to) of slot DEST plus the same doubles of chunk slots 1 .. CHUNKS - 1, added in that order. */
export function sumChunks(control: Int32Array, kernels: ThreadKernels, from: number, to: number): void {
  kernels.sum(Atomics.load(control, DEST), Atomics.load(control, CHUNKS), from, to);
}
