import type { KernelBuffers, ThreadKernels } from './kernel.js';

/** Slots of the shared Int32Array through which the main thread drives the workers. */
export const GEN = 0; // bumped for every command
export const DONE = 1; // workers finished with the current command
export const BEGIN = 2;
export const END = 3;
export const CMD = 4;
export const ERROR = 5; // set by a worker whose command threw
export const READY = 6; // workers that received the current setup
export const CHUNKS = 8; // chunks of the node being built
export const NEXT = 9; // the next chunk to take
export const INTERNAL = 10; // a grown tree's internal nodes
export const DEPTH = 11; // and depth
export const COLUMN = 12; // the score column it adds to
export const SAMPLE = 13; // rows in the tree's sample (order[0, SAMPLE))
export const LEAVES = 14; // the tree's leaves
export const GRADIENTS = 15; // 1: recompute binary gradients of the updated rows
export const DEST = 16; // the histogram slot a node is built into
export const FEATURE = 17; // the feature a node is partitioned by
export const CONTROL_SLOTS = 18;
/** Left rows of each thread's share of a partition, at LEFT + part (the array has CONTROL_SLOTS + threads slots). */
export const LEFT = CONTROL_SLOTS;
/** Rows in each prediction helper's block for CMD_WALK, at BLOCK_ROWS + part (the same slots as LEFT). */
export const BLOCK_ROWS = CONTROL_SLOTS;

/** Build the worker's features of rows [BEGIN, END) into slot DEST (zeroing them first). */
export const CMD_BUILD = 1;
/** Leave the blocking loop and go back to the event loop (to take a new setup or exit). */
export const CMD_YIELD = 2;
/** Build the node's row chunks into histogram slots (chunk 0 into DEST), taking chunks from NEXT until CHUNKS. */
export const CMD_CHUNKS = 4;
/** Find the leaf of the tree in the router region for the worker's share of positions [BEGIN, END) of order. */
export const CMD_ASSIGN = 5;
/** Binary gradients of the worker's share of rows [BEGIN, END). */
export const CMD_GRADIENTS = 6;
/** Add the chunk slots 1 .. CHUNKS - 1 into slot DEST, the worker's share of the doubles. */
export const CMD_SUM = 7;
/** Add the leaf values to the scores of the worker's share of rows [BEGIN, END) (and recompute their gradients when GRADIENTS is 1). */
export const CMD_ADD = 8;
/** Partition the worker's share of positions [BEGIN, END) by FEATURE into the partition buffers; its left count goes to LEFT + part. */
export const CMD_PARTITION = 9;
/** Copy the worker's share of a partition from the buffers to its final place in order. */
export const CMD_PLACE = 10;
/** Prediction: walk the trees over the BLOCK_ROWS + part rows of the worker's own block (see PredictSetup). */
export const CMD_WALK = 11;

export interface SetupMessage {
  kind: 'fit';
  control: Int32Array;
  /** The fit's bins, rows, gradients and the histogram being built (each thread writes its own features' part). */
  buffers: KernelBuffers;
  /** This worker's part (1..threads-1; the main thread takes part 0). */
  part: number;
  threads: number;
}

/** Part p's share [start, stop) of n items split into `parts`, from `offset`. */
export function share(offset: number, n: number, p: number, parts: number): [number, number] {
  return [offset + Math.floor((n * p) / parts), offset + Math.floor((n * (p + 1)) / parts)];
}

/**
 * Part p's share of a leaf assignment over positions [begin, end) whose first n are the tree's
 * sample: a share of the sample and a share of the rest, which walk the tree and cost several
 * times more per row (halving the positions alone left one thread with most of the walks).
 */
export function assignShare(
  assign: NonNullable<ThreadKernels['assignLeaves']>,
  begin: number,
  end: number,
  n: number,
  p: number,
  parts: number,
  leaves: number,
  internal: number,
  depth: number,
): void {
  const [b0, e0] = share(begin, n - begin, p, parts);
  assign(b0, e0, n, leaves, internal, depth);
  const [b1, e1] = share(n, end - n, p, parts);
  assign(b1, e1, n, leaves, internal, depth);
}

/**
 * Moves part p's share of a partition of positions [begin, end) from the buffers to its place in
 * order: left rows after the left rows of earlier parts, right rows after all left rows and the
 * right rows of earlier parts (so the result is the stable one-thread partition).
 */
export function placeShare(control: Int32Array, place: NonNullable<ThreadKernels['place']>, begin: number, end: number, p: number, parts: number): void {
  const [b, e] = share(begin, end - begin, p, parts);
  // Where part p's left rows go (after the earlier parts' left rows) and all left rows.
  let left = begin;
  let lefts = 0;
  for (let q = 0; q < parts; q++) {
    const nl = Atomics.load(control, LEFT + q);
    if (q < p) left += nl;
    lefts += nl;
  }
  const nl = Atomics.load(control, LEFT + p);
  place(false, b, nl, left);
  // The earlier parts' right rows are their b - begin rows less their left rows: b - left.
  place(true, b, e - b - nl, begin + lefts + (b - left));
}
