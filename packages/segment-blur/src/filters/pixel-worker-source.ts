/**
 * The pixel engine's helper thread, as the source of an ES module started by @aiffel/core's
 * `startWorker({ source })` (no file to locate from dist or from the sources under test). It
 * instantiates the same module over the shared memory and runs posted kernels: wait while the
 * state word is not POSTED (1), run the kernel named by the job word with the Float64 arguments,
 * flag a failure, set the state back to IDLE (0) and wake the poster. The loop starts after the
 * module has finished loading, so that start-up is reported before the thread blocks for good.
 * A module from source cannot import @aiffel/core, so it reads its input where `workerInput()`
 * does, `workerData.data`.
 */
export const PIXEL_WORKER_SOURCE = `
import { workerData } from 'node:worker_threads';
const { module, memory, ctl, kernels, argsAt, maxArgs } = workerData.data;
const k = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
const args = new Float64Array(ctl.buffer, argsAt, maxArgs);
setTimeout(() => {
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
}, 0);
`;
