import { CMD, CMD_YIELD, DONE, ERROR, GEN, READY } from './control.js';
import { spinThenWait } from './spin.js';

/**
 * Both sides of the command protocol between the calling thread and its workers, shared by tree
 * growth (engine-factory.ts / hist-worker.ts) and batch prediction (wasm-predict.ts /
 * predict-worker.ts). The caller writes a command's operands into the control array, then
 * sendCommand; each worker runs it and counts itself in DONE; CMD_YIELD sends the workers back to
 * their event loop, where the next set-up message finds them.
 */

/** Starts `cmd` on the workers (its operands already stored): DONE cleared, then GEN bumped. */
export function sendCommand(control: Int32Array, cmd: number): void {
  Atomics.store(control, DONE, 0);
  Atomics.store(control, CMD, cmd);
  Atomics.add(control, GEN, 1);
  Atomics.notify(control, GEN);
}

/**
 * A worker's side: `setup` (making its kernels), counted in READY whether it worked or not (a
 * failure sets ERROR, which the caller checks), then every command but CMD_YIELD through `run`
 * until CMD_YIELD. A command that throws sets ERROR; the worker still counts itself done, so the
 * caller never waits for it.
 */
export function serveCommands(control: Int32Array, setup: () => void, run: (cmd: number) => void): void {
  let seen = Atomics.load(control, GEN);
  try {
    setup();
  } catch {
    Atomics.store(control, ERROR, 1);
  }
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    spinThenWait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    const cmd = Atomics.load(control, CMD);
    if (cmd !== CMD_YIELD) {
      try {
        run(cmd);
      } catch {
        Atomics.store(control, ERROR, 1);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
    if (cmd === CMD_YIELD) return;
  }
}
