import { parentPort } from 'node:worker_threads';
import { buildChunks } from './chunks.js';
import {
  BEGIN,
  CMD,
  CMD_BUILD,
  CMD_CHUNKS,
  CMD_GRADIENTS,
  CMD_ROUTE,
  CMD_YIELD,
  COLUMN,
  DEPTH,
  DONE,
  END,
  ERROR,
  GEN,
  INTERNAL,
  READY,
  type SetupMessage,
  share,
} from './control.js';
import { kernelViews, makeKernels, type ThreadKernels } from './kernel.js';

/**
 * A tree-growth worker. After a setup message it blocks on Atomics.wait for commands (a message
 * round trip per tree node would cost more than building a small node's histogram): it builds its
 * features' part of a node's histogram, or row chunks of a large node, or adds a finished tree
 * to its share of the rows' scores, or computes their gradients, and returns to the event loop on CMD_YIELD so the next fit can send a new setup.
 */
parentPort?.on('message', (m: SetupMessage) => {
  const { control, part, threads } = m;
  let seen = Atomics.load(control, GEN);
  let kernels: ThreadKernels | undefined;
  try {
    kernels = makeKernels(m.buffers, part);
  } catch {
    Atomics.store(control, ERROR, 1);
  }
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  const { cols } = m.buffers;
  const [f0, f1] = share(0, cols, part, threads);
  const { slots } = kernelViews(m.buffers);
  for (;;) {
    Atomics.wait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    const cmd = Atomics.load(control, CMD);
    if (cmd === CMD_BUILD || cmd === CMD_CHUNKS || cmd === CMD_ROUTE || cmd === CMD_GRADIENTS) {
      try {
        if (kernels === undefined) throw new Error('no kernels');
        const begin = Atomics.load(control, BEGIN);
        const end = Atomics.load(control, END);
        if (cmd === CMD_BUILD) kernels.hist(f0, f1, begin, end, 0);
        else if (cmd === CMD_CHUNKS) buildChunks(control, kernels, slots, cols, begin, end);
        else if (cmd === CMD_GRADIENTS) {
          if (kernels.binaryGradients === undefined) throw new Error('no gradient kernel');
          const [b, e] = share(begin, end - begin, part, threads);
          kernels.binaryGradients(b, e);
        } else {
          if (kernels.route === undefined) throw new Error('no route kernel');
          const [b, e] = share(begin, end - begin, part, threads);
          kernels.route(b, e, Atomics.load(control, INTERNAL), Atomics.load(control, DEPTH), Atomics.load(control, COLUMN));
        }
      } catch {
        Atomics.store(control, ERROR, 1);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
    if (cmd === CMD_YIELD) return;
  }
});
