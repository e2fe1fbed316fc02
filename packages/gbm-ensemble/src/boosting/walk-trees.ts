import type { KernelExports } from '../wasm/kernels.js';

/** One tree's tables in the kernels' memory (byte addresses), as assembly/predict.ts reads them. */
export interface TreeTables {
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

/**
 * Adds the first `nTrees` trees' leaf values for `rows` rows (row-major float64 at byte `xAt`,
 * `cols` wide) to the scores at byte `outAt` (rows x outputs; tree i adds to column i % outputs).
 * The calling thread and the prediction helpers (predict-worker.ts) run this same loop over their
 * own blocks, so a row's sum is added in the same order whichever thread walks it.
 */
export function walkTrees(
  e: KernelExports,
  tables: readonly TreeTables[],
  nTrees: number,
  xAt: number,
  outAt: number,
  cols: number,
  rows: number,
  outputs: number,
): void {
  if (rows === 0) return;
  for (let i = 0; i < nTrees; i++) {
    const l = tables[i] as TreeTables;
    if (l.isCat === 0)
      e.walkTree(xAt, cols, rows, l.feature, l.threshold, l.defaultLeft, l.children, l.internal, l.depth, l.values, outAt, outputs, i % outputs);
    else
      e.walkTreeMixed(
        xAt,
        cols,
        rows,
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
}
