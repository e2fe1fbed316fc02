/**
 * The pixel engine's helper thread, as source for `new Worker(code, { eval: true })` (no file to
 * locate from dist or from the sources under test). It instantiates the same module over the
 * shared memory and runs posted kernels: wait while the state word is not POSTED (1), run the
 * kernel named by the job word with the Float64 arguments, flag a failure, set the state back to
 * IDLE (0) and wake the poster.
 */
export const PIXEL_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, kernels, argsAt, maxArgs } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
const args = new Float64Array(ctl.buffer, argsAt, maxArgs);
for (;;) {
  while (Atomics.load(ctl, 0) !== 1) Atomics.wait(ctl, 0, 0);
  try {
    const name = kernels[Atomics.load(ctl, 1)];
    k[name](...Array.from(args.subarray(0, k[name].length)));
  } catch {
    Atomics.store(ctl, 2, 1);
  }
  Atomics.store(ctl, 0, 0);
  Atomics.notify(ctl, 0);
}
`;
