import { parentPort } from 'node:worker_threads';
import { buildHist1, buildHistN } from '../tree/histogram.js';
import { BEGIN, CMD, CMD_BUILD, CMD_YIELD, DONE, END, ERROR, featureRange, GEN, READY, type SetupMessage } from './control.js';

/**
 * A histogram worker. After a setup message it blocks on Atomics.wait for commands (a message
 * round trip per tree node would cost more than building a small node's histogram), builds its
 * features' part of the node's histogram into the shared target, and returns to the event loop
 * on CMD_YIELD so the next fit can send a new setup.
 */
parentPort?.on('message', (m: SetupMessage) => {
  const { control } = m;
  let seen = Atomics.load(control, GEN);
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  const [f0, f1] = featureRange(m.cols, m.part, m.threads);
  for (;;) {
    Atomics.wait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    const cmd = Atomics.load(control, CMD);
    if (cmd === CMD_BUILD) {
      try {
        const b = Atomics.load(control, BEGIN);
        const e = Atomics.load(control, END);
        if (m.outputs === 1) buildHist1(m.bins, m.cols, f0, f1, m.order, b, e, m.grad, m.hess, m.target);
        else buildHistN(m.bins, m.cols, f0, f1, m.outputs, m.order, b, e, m.grad, m.hess, m.target);
      } catch {
        Atomics.store(control, ERROR, 1);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
    if (cmd === CMD_YIELD) return;
  }
});
