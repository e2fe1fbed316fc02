import { parentPort } from 'node:worker_threads';
import { buildChunks, sumChunks } from './chunks.js';
import { serveCommands } from './command-loop.js';
import {
  assignShare,
  BEGIN,
  CMD_ADD,
  CMD_ASSIGN,
  CMD_BUILD,
  CMD_CHUNKS,
  CMD_GRADIENTS,
  CMD_PARTITION,
  CMD_PLACE,
  CMD_SUM,
  COLUMN,
  DEPTH,
  DEST,
  END,
  FEATURE,
  GRADIENTS,
  INTERNAL,
  LEAVES,
  LEFT,
  placeShare,
  SAMPLE,
  type SetupMessage,
  share,
} from './control.js';
import { makeKernels, type ThreadKernels } from './kernel.js';
import { helpPredict, type PredictSetup } from './predict-worker.js';

/**
 * A tree-growth worker. After a setup message it waits for commands on the shared control array
 * (polling briefly, then Atomics.wait: a message round trip per tree node would cost more than
 * building a small node's histogram). It builds its features' part of a node's histogram or row
 * chunks of a large node and its share of their sum, partitions its share of a large node's rows
 * and places it, finds its share of the rows' leaves in a finished tree, adds their values to its
 * share of the scores (recomputing the gradients), or computes gradients; on CMD_YIELD it returns
 * to the event loop so the next fit can send a new setup. Between fits it also helps batch
 * predictions (predict-worker.ts).
 */
parentPort?.on('message', (m: SetupMessage | PredictSetup) => {
  if (m.kind === 'predict') {
    helpPredict(m);
    return;
  }
  const { control, part, threads } = m;
  const { cols } = m.buffers;
  const [f0, f1] = share(0, cols, part, threads);
  let kernels: ThreadKernels | undefined;
  let perFeature = 0;
  serveCommands(
    control,
    () => {
      kernels = makeKernels(m.buffers, part);
      perFeature = kernels.histDoubles / cols;
    },
    (cmd) => {
      if (kernels === undefined) throw new Error('no kernels');
      const begin = Atomics.load(control, BEGIN);
      const end = Atomics.load(control, END);
      if (cmd === CMD_BUILD) {
        const dest = Atomics.load(control, DEST);
        kernels.zero(dest, f0 * perFeature, f1 * perFeature);
        kernels.hist(f0, f1, begin, end, dest);
      } else if (cmd === CMD_CHUNKS) buildChunks(control, kernels, cols, begin, end);
      else if (cmd === CMD_SUM) {
        const [from, to] = share(0, kernels.histDoubles, part, threads);
        sumChunks(control, kernels, from, to);
      } else if (cmd === CMD_PARTITION) {
        if (kernels.partition === undefined) throw new Error('no partition kernel');
        const [b, e] = share(begin, end - begin, part, threads);
        Atomics.store(control, LEFT + part, kernels.partition(Atomics.load(control, FEATURE), b, e, true));
      } else if (cmd === CMD_PLACE) {
        if (kernels.place === undefined) throw new Error('no partition kernel');
        placeShare(control, kernels.place, begin, end, part, threads);
      } else if (cmd === CMD_GRADIENTS) {
        if (kernels.binaryGradients === undefined) throw new Error('no gradient kernel');
        const [b, e] = share(begin, end - begin, part, threads);
        kernels.binaryGradients(b, e);
      } else if (cmd === CMD_ASSIGN) {
        if (kernels.assignLeaves === undefined) throw new Error('no score update kernel');
        const c = (slot: number): number => Atomics.load(control, slot);
        assignShare(kernels.assignLeaves, begin, end, c(SAMPLE), part, threads, c(LEAVES), c(INTERNAL), c(DEPTH));
      } else if (cmd === CMD_ADD) {
        if (kernels.addLeafValues === undefined) throw new Error('no score update kernel');
        const [b, e] = share(begin, end - begin, part, threads);
        kernels.addLeafValues(b, e, Atomics.load(control, COLUMN), Atomics.load(control, GRADIENTS) === 1);
      } else throw new Error(`unknown command ${cmd}`);
    },
  );
});
