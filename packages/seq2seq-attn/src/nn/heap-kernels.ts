import { tf } from '@aiffel/runtime';
import type { KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Single-pass LSTM gate kernels that work on views of the backend's memory.
 *
 * Why kernels and not tf ops: on the wasm backend every tf op over a [B, 4H] block costs a kernel
 * launch and a full read/write of the block, `tanh` is scalar code (7x slower than `sigmoid`), and
 * `slice` copies its whole *source* tensor first (a step's rows out of the [T*B, 4H] input
 * projections cost 50 ms). These kernels read the step's rows in place and do all the gate
 * arithmetic in one loop.
 */

interface Io {
  out(shape: number[]): TensorInfo;
  view(info: TensorInfo): Float32Array;
}

interface BackendLike {
  makeOutput?(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap?(info: TensorInfo): Float32Array;
  makeTensorInfo?(shape: number[], dtype: string, values: Float32Array): TensorInfo;
  data?: { get(id: object): { values: Float32Array } };
}

/** Output allocation and in-place views for a kernel on the wasm or cpu backend. */
export function heapIo(backendArg: unknown): Io {
  const backend = backendArg as BackendLike;
  if (backend.makeOutput && backend.typedArrayFromHeap) {
    // wasm: outputs live on the heap; take views only after every output is allocated (the heap
    // may grow and detach earlier views).
    return {
      out: (shape) => (backend.makeOutput as NonNullable<BackendLike['makeOutput']>)(shape, 'float32'),
      view: (info) => (backend.typedArrayFromHeap as NonNullable<BackendLike['typedArrayFromHeap']>)(info),
    };
  }
  const make = backend.makeTensorInfo?.bind(backend);
  const data = backend.data;
  if (!make || !data) throw new Error('@aiffel/seq2seq-attn: unsupported tfjs backend for the LSTM kernels (use wasm or cpu)');
  return { out: (shape) => make(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))), view: (info) => data.get(info.dataId).values };
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
/** tanh through one exp: V8's Math.tanh is slower and the kernels call this millions of times. */
export const tanh = (v: number): number => 2 / (1 + Math.exp(-2 * v)) - 1;

export const LSTM_CELL_FORWARD = 'AiffelLstmCellForward';
export const LSTM_CELL_BACKWARD = 'AiffelLstmCellBackward';

/**
 * z = xw[rows of step t] + hw; act = (sigmoid i, sigmoid f, tanh g, sigmoid o); c = f c' + i g;
 * h = o tanh(c). Inputs: xw [T*B, 4H] (attr `offset` = first row), hw [B, 4H], c [B, H].
 * Outputs: h [B, H], c [B, H], act [B, 4H].
 */
const cellForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { xw, hw, c } = inputs as Record<string, TensorInfo>;
  const [B, H4] = (hw as TensorInfo).shape as [number, number];
  const H = H4 / 4;
  const k = heapIo(backend);
  const hOut = k.out([B, H]);
  const cOut = k.out([B, H]);
  const actOut = k.out([B, H4]);
  const xwV = k.view(xw as TensorInfo);
  const hwV = k.view(hw as TensorInfo);
  const cV = k.view(c as TensorInfo);
  const hO = k.view(hOut);
  const cO = k.view(cOut);
  const aO = k.view(actOut);
  const base = ((attrs as NamedAttrMap).offset as number) * H4;
  for (let r = 0; r < B; r++) {
    const zr = r * H4;
    const hr = r * H;
    for (let j = 0; j < H; j++) {
      const p = zr + j;
      const i = sigmoid((xwV[base + p] as number) + (hwV[p] as number));
      const f = sigmoid((xwV[base + p + H] as number) + (hwV[p + H] as number));
      const g = tanh((xwV[base + p + 2 * H] as number) + (hwV[p + 2 * H] as number));
      const o = sigmoid((xwV[base + p + 3 * H] as number) + (hwV[p + 3 * H] as number));
      const cn = f * (cV[hr + j] as number) + i * g;
      aO[p] = i;
      aO[p + H] = f;
      aO[p + 2 * H] = g;
      aO[p + 3 * H] = o;
      cO[hr + j] = cn;
      hO[hr + j] = o * tanh(cn);
    }
  }
  return [hOut, cOut, actOut];
};

/**
 * Backward through one step. Inputs: dy [(T+1)*B, H] (attr `offset` = first row of this step's
 * output gradient), dhNext [B, H] (from step t+1 through Wh), dc [B, H] (from step t+1), act
 * [B, 4H], c [B, H] (this step's cell), cPrev [B, H]. Outputs: dz [B, 4H] (pre-activation
 * gradients), dcPrev [B, H].
 */
const cellBackward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, dhNext, dc, act, c, cPrev } = inputs as Record<string, TensorInfo>;
  const [B, H4] = (act as TensorInfo).shape as [number, number];
  const H = H4 / 4;
  const k = heapIo(backend);
  const dzOut = k.out([B, H4]);
  const dcOut = k.out([B, H]);
  const dyV = k.view(dy as TensorInfo);
  const dhV = k.view(dhNext as TensorInfo);
  const dcV = k.view(dc as TensorInfo);
  const aV = k.view(act as TensorInfo);
  const cV = k.view(c as TensorInfo);
  const cpV = k.view(cPrev as TensorInfo);
  const dz = k.view(dzOut);
  const dcO = k.view(dcOut);
  const base = ((attrs as NamedAttrMap).offset as number) * H;
  for (let r = 0; r < B; r++) {
    const zr = r * H4;
    const hr = r * H;
    for (let j = 0; j < H; j++) {
      const p = zr + j;
      const q = hr + j;
      const i = aV[p] as number;
      const f = aV[p + H] as number;
      const g = aV[p + 2 * H] as number;
      const o = aV[p + 3 * H] as number;
      const tc = tanh(cV[q] as number);
      const dh = (dyV[base + q] as number) + (dhV[q] as number);
      const dct = (dcV[q] as number) + dh * o * (1 - tc * tc);
      dz[p] = dct * g * i * (1 - i);
      dz[p + H] = dct * (cpV[q] as number) * f * (1 - f);
      dz[p + 2 * H] = dct * i * (1 - g * g);
      dz[p + 3 * H] = dh * tc * o * (1 - o);
      dcO[q] = dct * f;
    }
  }
  return [dzOut, dcOut];
};

const registered = new Set<string>();

/** Registers kernels on the wasm and cpu backends, once per name. */
export function registerOnBackends(kernels: Record<string, KernelFunc>): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (registered.has(kernelName)) continue;
    for (const backendName of ['wasm', 'cpu']) tf.registerKernel({ kernelName, backendName, kernelFunc });
    registered.add(kernelName);
  }
}

export function registerLstmKernels(): void {
  registerOnBackends({ [LSTM_CELL_FORWARD]: cellForward, [LSTM_CELL_BACKWARD]: cellBackward });
}

/** Runs a registered kernel that has several outputs. */
export function runKernel(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}): Tensor[] {
  return tf.engine().runKernel(name, inputs as never, attrs) as unknown as Tensor[];
}
