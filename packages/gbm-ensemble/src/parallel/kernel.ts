import { buildHist1, buildHistN } from '../tree/histogram.js';
import { type FitLayout, instantiateKernels } from '../wasm/kernels.js';

/**
 * Where one fit's inputs and outputs live: plain shared arrays for the JavaScript kernels, or one
 * shared WebAssembly memory for the wasm kernels. Sent to each worker once per fit.
 */
export type KernelBuffers =
  | {
      kind: 'js';
      bins: Uint8Array;
      cols: number;
      outputs: number;
      order: Int32Array;
      grad: Float32Array;
      hess: Float32Array;
      /** Histogram slots, histDoubles each: the chunk slots, then the pool (see FitLayout). */
      target: Float64Array;
      histDoubles: number;
      chunkSlots: number;
    }
  | { kind: 'wasm'; layout: FitLayout; cols: number };

export interface ThreadKernels {
  /** Doubles in one histogram slot. */
  readonly histDoubles: number;
  /** Adds rows order[begin, end) of features [f0, f1) into histogram slot `slot`. */
  hist(f0: number, f1: number, begin: number, end: number, slot: number): void;
  /** Zeroes doubles [from, to) of slot `slot`. */
  zero(slot: number, from: number, to: number): void;
  /** Adds doubles [from, to) of chunk slots 1 .. m - 1 into slot `dest`, in slot order. */
  sum(dest: number, m: number, from: number, to: number): void;
  /** Prepares rows [begin, end)'s gradients for hist after they changed (wasm kernels only: see FitKernels.interleave). */
  interleave?(begin: number, end: number): void;
  /** A node's partition: see FitKernels.partition (wasm kernels only; the JavaScript engine partitions on the calling thread). */
  partition?(f: number, begin: number, end: number, apart: boolean): number;
  /** Joins partition buffers: see FitKernels.place (wasm kernels only). */
  place?(rights: boolean, src: number, count: number, dst: number): void;
  /** Each row's leaf in the tree in the router region: see FitKernels.assignLeaves (wasm kernels only). */
  assignLeaves?(begin: number, end: number, n: number, leaves: number, internal: number, depth: number): void;
  /** Leaf values into scores (and fresh gradients): see FitKernels.addLeafValues (wasm kernels only). */
  addLeafValues?(begin: number, end: number, k: number, gradients: boolean): void;
  /** Binary log-loss gradients of rows [begin, end) (wasm kernels with labels only). */
  binaryGradients?(begin: number, end: number): void;
}

export interface KernelViews {
  order: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  /** Histogram slot s is slots[s]. */
  slots: Float64Array[];
}

export function kernelViews(b: KernelBuffers): KernelViews {
  if (b.kind === 'js') {
    const n = b.histDoubles;
    const slots = Array.from({ length: b.target.length / n }, (_, s) => b.target.subarray(s * n, (s + 1) * n));
    return { order: b.order, grad: b.grad, hess: b.hess, slots };
  }
  const { layout } = b;
  const buf = layout.memory.buffer;
  const n = layout.histDoubles;
  return {
    order: new Int32Array(buf, layout.order, layout.rows),
    grad: new Float32Array(buf, layout.grad, layout.rows),
    hess: new Float32Array(buf, layout.hess, layout.rows),
    slots: Array.from({ length: layout.slots }, (_, s) => new Float64Array(buf, layout.target + s * n * 8, n)),
  };
}

/** Thread `part`'s kernels over the buffers (the main thread is part 0). */
export function makeKernels(b: KernelBuffers, part: number): ThreadKernels {
  if (b.kind === 'wasm') return instantiateKernels(b.layout, part);
  const { bins, cols, outputs, order, grad, hess, histDoubles } = b;
  const { slots } = kernelViews(b);
  const at = (s: number): Float64Array => slots[s] as Float64Array;
  return {
    histDoubles,
    hist:
      outputs === 1
        ? (f0, f1, begin, end, s) => buildHist1(bins, cols, f0, f1, order, begin, end, grad, hess, at(s))
        : (f0, f1, begin, end, s) => buildHistN(bins, cols, f0, f1, outputs, order, begin, end, grad, hess, at(s)),
    zero: (s, from, to) => at(s).fill(0, from, to),
    sum: (dest, m, from, to) => addChunks(slots, dest, m, from, to),
  };
}

/** slots[dest][i] += slots[1][i] + ... + slots[m - 1][i] for i in [from, to), added in slot order (the twin of assembly/hist.ts' addChunks). */
export function addChunks(slots: Float64Array[], dest: number, m: number, from: number, to: number): void {
  const d = slots[dest] as Float64Array;
  for (let c = 1; c < m; c++) {
    const s = slots[c] as Float64Array;
    for (let i = from; i < to; i++) d[i] = (d[i] as number) + (s[i] as number);
  }
}
