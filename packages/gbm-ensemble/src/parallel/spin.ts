/**
 * Waits until control[slot] is no longer `value`: first by polling for a short while, then by
 * Atomics.wait. Tree growth sends the worker thousands of small commands per tree; waking a
 * thread that sleeps in the kernel costs tens of microseconds (more in a VM), which is as long as
 * a small node's whole histogram. Polling briefly, as OpenMP's threads do between parallel
 * regions, answers the next command at once and still sleeps between fits.
 *
 * A wake-up is not proof of a change: a notify sent for an earlier change can arrive after the
 * waiter saw that change by polling, did its work and went back to sleep. Returning then would run
 * the last command twice, so the value is checked again after every wake-up.
 */
export function spinThenWait(control: Int32Array, slot: number, value: number, spins = SPINS): void {
  for (let i = 0; i < spins; i++) if (Atomics.load(control, slot) !== value) return;
  while (Atomics.load(control, slot) === value) Atomics.wait(control, slot, value);
}

// About 20-40 microseconds of polling.
const SPINS = 20_000;

/** Waits (polling, then sleeping) until control[slot] >= count: workers counting themselves done. */
export function waitAtLeast(control: Int32Array, slot: number, count: number): void {
  for (;;) {
    const v = Atomics.load(control, slot);
    if (v >= count) return;
    spinThenWait(control, slot, v);
  }
}

/**
 * Waits until control[slot] >= count for at most `timeoutMs`, sleeping: a worker that died after
 * it started never counts itself ready. Returns whether the count was reached.
 */
export function waitAtLeastFor(control: Int32Array, slot: number, count: number, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(control, slot);
    if (v >= count) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(control, slot, v, left);
  }
}
