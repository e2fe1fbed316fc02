import { tf } from '@aiffel/runtime';
import type { KernelFunc, Tensor, Tensor1D, Tensor3D, TensorInfo } from '@tensorflow/tfjs-core';
import { heapIo, registerOnBackends, runKernel, tanh } from './heap-kernels.js';

/**
 * Bahdanau (additive) attention scores as one differentiable op:
 * score[b, t, s] = sum_a v[a] tanh(keys[b, s, a] + queries[b, t, a]).
 *
 * Why a kernel: composed from tf ops this materialises a [B, Tt, Ts, A] tensor several times over
 * (210 MB per copy at the benchmark's sizes) in forward and backward; the loops here never build it.
 */
export function additiveScores(keys: Tensor3D, queries: Tensor3D, v: Tensor1D): Tensor3D {
  registerAdditiveKernels();
  return additiveOp(keys, queries, v) as Tensor3D;
}

const SCORE = 'AiffelAdditiveScore';
const SCORE_GRAD = 'AiffelAdditiveScoreGrad';

const scoreKernel: KernelFunc = ({ inputs, backend }) => {
  const { keys, queries, v } = inputs as Record<string, TensorInfo>;
  const [B, S, A] = (keys as TensorInfo).shape as [number, number, number];
  const T = (queries as TensorInfo).shape[1] as number;
  const k = heapIo(backend);
  const out = k.out([B, T, S]);
  const kv = k.view(keys as TensorInfo);
  const qv = k.view(queries as TensorInfo);
  const vv = k.view(v as TensorInfo);
  const o = k.view(out);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const q0 = (b * T + t) * A;
      for (let s = 0; s < S; s++) {
        const k0 = (b * S + s) * A;
        let acc = 0;
        for (let a = 0; a < A; a++) acc += (vv[a] as number) * tanh((kv[k0 + a] as number) + (qv[q0 + a] as number));
        o[(b * T + t) * S + s] = acc;
      }
    }
  }
  return out;
};

const scoreGradKernel: KernelFunc = ({ inputs, backend }) => {
  const { dy, keys, queries, v } = inputs as Record<string, TensorInfo>;
  const [B, S, A] = (keys as TensorInfo).shape as [number, number, number];
  const T = (queries as TensorInfo).shape[1] as number;
  const k = heapIo(backend);
  const dkOut = k.out([B, S, A]);
  const dqOut = k.out([B, T, A]);
  const dvOut = k.out([A]);
  const dyv = k.view(dy as TensorInfo);
  const kv = k.view(keys as TensorInfo);
  const qv = k.view(queries as TensorInfo);
  const vv = k.view(v as TensorInfo);
  const dk = k.view(dkOut);
  const dq = k.view(dqOut);
  const dv = k.view(dvOut);
  dk.fill(0);
  dq.fill(0);
  dv.fill(0);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const q0 = (b * T + t) * A;
      for (let s = 0; s < S; s++) {
        const g = dyv[(b * T + t) * S + s] as number;
        if (g === 0) continue; // masked (padding) positions get exactly zero gradient from softmax
        const k0 = (b * S + s) * A;
        for (let a = 0; a < A; a++) {
          const th = tanh((kv[k0 + a] as number) + (qv[q0 + a] as number));
          dv[a] = (dv[a] as number) + g * th;
          const d = g * (vv[a] as number) * (1 - th * th);
          dk[k0 + a] = (dk[k0 + a] as number) + d;
          dq[q0 + a] = (dq[q0 + a] as number) + d;
        }
      }
    }
  }
  return [dkOut, dqOut, dvOut];
};

function registerAdditiveKernels(): void {
  registerOnBackends({ [SCORE]: scoreKernel, [SCORE_GRAD]: scoreGradKernel });
}

const additiveOp = tf.customGrad((...args: unknown[]) => {
  const [keys, queries, v, save] = args as [Tensor3D, Tensor3D, Tensor1D, (t: Tensor[]) => void];
  save([keys, queries, v]);
  const value = tf.engine().runKernel(SCORE, { keys, queries, v } as never) as Tensor3D;
  const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
    const [k, q, vv] = saved as [Tensor3D, Tensor3D, Tensor1D];
    return runKernel(SCORE_GRAD, { dy, keys: k, queries: q, v: vv });
  };
  return { value, gradFunc };
});
