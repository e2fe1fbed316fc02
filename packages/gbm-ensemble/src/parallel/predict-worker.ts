import { type TreeTables, walkTrees } from '../boosting/walk-trees.js';
import { type KernelExports, kernelsOver, type WasmMemory } from '../wasm/kernels.js';
import { serveCommands } from './command-loop.js';
import { BLOCK_ROWS, CMD_WALK } from './control.js';

/**
 * What a tree-growth worker gets to help with one batch prediction (wasm-predict.ts): the
 * compiled model's memory and tables, and its own block of rows in that memory, which the calling
 * thread fills with rows (and the scores with the starting values) before each CMD_WALK.
 */
export interface PredictSetup {
  kind: 'predict';
  control: Int32Array;
  memory: WasmMemory;
  tables: TreeTables[];
  nTrees: number;
  cols: number;
  outputs: number;
  /** This helper's part (1..): its row count is at BLOCK_ROWS + part. */
  part: number;
  /** Byte addresses of this helper's block of rows and of its scores. */
  xAt: number;
  outAt: number;
}

/**
 * A helper's side of one batch prediction: walk its block on every CMD_WALK, go back to the event
 * loop on CMD_YIELD (where the next fit or prediction finds it).
 */
export function helpPredict(m: PredictSetup): void {
  const { control } = m;
  let kernels: KernelExports | undefined;
  serveCommands(
    control,
    () => {
      kernels = kernelsOver(m.memory);
    },
    (cmd) => {
      if (cmd !== CMD_WALK) throw new Error(`unknown command ${cmd}`);
      if (kernels === undefined) throw new Error('no kernels');
      walkTrees(kernels, m.tables, m.nTrees, m.xAt, m.outAt, m.cols, Atomics.load(control, BLOCK_ROWS + m.part), m.outputs);
    },
  );
}
