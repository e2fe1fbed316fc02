/**
 * The GEMM engine's helper thread, as the source of an ES module started by @aiffel/core's
 * `startWorker({ source })`: it instantiates the same module over the shared memory and runs
 * posted shares. Wait while the state word is not POSTED (1), run the entry point named by word 3
 * (an index into `functions`) on the parameter block whose byte offset is word 1, flag a failure
 * in word 2, set the state back to IDLE (0) and wake
 * the poster. The loop starts after the module has loaded, so start-up is reported before the
 * thread blocks for good. A module from source cannot import @aiffel/core, so it reads its input
 * where `workerInput()` does, `workerData.data`.
 */
export const GEMM_WORKER_SOURCE = `
import { workerData } from 'node:worker_threads';
const { module, memory, ctl, functions } = workerData.data;
const k = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
setTimeout(() => {
  for (;;) {
    while (Atomics.load(ctl, 0) !== 1) Atomics.wait(ctl, 0, 0);
    try {
      k[functions[Atomics.load(ctl, 3)]](Atomics.load(ctl, 1));
    } catch {
      Atomics.store(ctl, 2, 1);
    }
    Atomics.store(ctl, 0, 0);
    Atomics.notify(ctl, 0);
  }
}, 0);
`;
