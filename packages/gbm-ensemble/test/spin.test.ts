import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { spinThenWait } from '../src/parallel/spin.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('spinThenWait', () => {
  it('returns at once when the value has already changed', () => {
    const control = new Int32Array(new SharedArrayBuffer(8));
    control[0] = 5;
    spinThenWait(control, 0, 4, 10);
    expect(control[0]).toBe(5);
  });

  it('keeps waiting through a notify that changed nothing, and wakes on a change', async () => {
    // Slot 0 is waited on; the worker writes 1 to slot 1 once its wait returns.
    const control = new Int32Array(new SharedArrayBuffer(8));
    const source = `
      const { workerData } = require('node:worker_threads');
      const SPINS = 0;
      ${spinThenWait.toString()}
      spinThenWait(workerData, 0, 0, 0);
      Atomics.store(workerData, 1, 1);
    `;
    const worker = new Worker(source, { eval: true, workerData: control });
    const exited = new Promise((resolve, reject) => {
      worker.on('exit', resolve);
      worker.on('error', reject);
    });
    try {
      for (let i = 0; i < 20; i++) {
        Atomics.notify(control, 0);
        await sleep(5);
      }
      expect(Atomics.load(control, 1)).toBe(0);
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
      await exited;
      expect(Atomics.load(control, 1)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });
});
