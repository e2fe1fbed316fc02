import { type TreeTables, walkTrees } from '../boosting/walk-trees.js';
import { type KernelExports, kernelsOver, type WasmMemory } from '../wasm/kernels.js';
import { BLOCK_ROWS, CMD, CMD_WALK, CMD_YIELD, DONE, ERROR, GEN, READY } from './control.js';
import { spinThenWait } from './spin.js';

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
  let seen = Atomics.load(control, GEN);
  let kernels: KernelExports | undefined;
  try {
    kernels = kernelsOver(m.memory);
  } catch {
    Atomics.store(control, ERROR, 1);
  }
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    spinThenWait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    const cmd = Atomics.load(control, CMD);
    if (cmd === CMD_WALK) {
      try {
        if (kernels === undefined) throw new Error('no kernels');
        walkTrees(kernels, m.tables, m.nTrees, m.xAt, m.outAt, m.cols, Atomics.load(control, BLOCK_ROWS + m.part), m.outputs);
      } catch {
        Atomics.store(control, ERROR, 1);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
    if (cmd === CMD_YIELD) return;
  }
}
