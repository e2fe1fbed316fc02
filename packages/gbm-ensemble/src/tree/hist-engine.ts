import type { NodeStats, SplitInfo, SplitParams } from './split-finder.js';

/**
 * What tree growth asks of the machine: the rows of the tree's sample (`order`, permuted in place
 * so each node's rows are a contiguous range), their gradients and hessians, a node's gradient
 * histogram, and the partition of a node's rows by a split. parallel/engine-factory.ts makes one
 * per fit, on one or several threads, with the WebAssembly or the JavaScript kernels.
 */
export interface HistEngine {
  /**
   * findNumericSplit done by the engine's kernels when it can (a single-output histogram in its
   * memory): updates `best` as findNumericSplit would and returns true; false when it cannot.
   */
  numericSplit(hist: Float64Array, f: number, numBins: number, missingBin: number, node: NodeStats, p: SplitParams, best: SplitInfo): boolean;
  readonly order: Int32Array;
  /** Row-major rows x outputs. */
  readonly grad: Float32Array;
  readonly hess: Float32Array;
  /** Called once per tree after grad / hess were written and before the first build. */
  loadGradients(): void;
  /**
   * A histogram for tree growth to keep a node's in (the engine's own memory while it lasts,
   * so that build writes it in place).
   */
  newHist(): Float64Array;
  /** The histogram of rows order[begin, end), written over `hist`. */
  build(begin: number, end: number, hist: Float64Array): void;
  /**
   * Only the given features' part of that histogram (the rest of `hist` is left as it was): what a
   * random-forest node needs, which looks at sqrt(cols) features and never subtracts.
   */
  buildFeatures(begin: number, end: number, hist: Float64Array, features: Int32Array): void;
  /**
   * Stable partition of order[begin, end) by feature f: rows whose bin b has goesLeft[b] = 1
   * first. Returns the left count.
   */
  partition(begin: number, end: number, f: number, goesLeft: Uint8Array): number;
}
