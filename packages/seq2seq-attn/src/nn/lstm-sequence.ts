import { tf } from '@aiffel/runtime';
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { LSTM_CELL_BACKWARD, LSTM_CELL_FORWARD, registerLstmKernels, runKernel } from './heap-kernels.js';

/**
 * One LSTM layer over a whole sequence as a single differentiable op, gates in PyTorch's order
 * (input, forget, cell, output).
 *
 * Why fused: tfjs-layers' LSTM records every per-step split, slice and activation on the tape and
 * trains about 20x slower than the forward pass on wasm. Here the input projections of all time
 * steps are one matmul, each step is one matmul plus one gate kernel, and the backward pass is
 * derived by hand: each step is one gate kernel plus one matmul, and the weight gradients are one
 * large matmul each over all steps.
 *
 * x [T, B, I] time-major, h0/c0 [B, H], wx [I, 4H], wh [H, 4H], b [4H].
 * Returns [T + 1, B, H]: the hidden states of steps 0..T-1, then the final cell state.
 */
export function lstmSequence(x: Tensor3D, h0: Tensor2D, c0: Tensor2D, wx: Tensor2D, wh: Tensor2D, b: Tensor): Tensor3D {
  registerLstmKernels();
  return lstmOp(x, h0, c0, wx, wh, b) as Tensor3D;
}

interface StepState {
  h: Tensor2D;
  c: Tensor2D;
  act: Tensor2D;
}

/** One step for inference: xw [B, 4H] (input projection incl. bias) -> new h, c. */
export function lstmStep(xw: Tensor2D, h: Tensor2D, c: Tensor2D, wh: Tensor2D): StepState {
  registerLstmKernels();
  const [hn, cn, act] = runKernel(LSTM_CELL_FORWARD, { xw, hw: tf.matMul(h, wh), c }, { offset: 0 }) as [Tensor2D, Tensor2D, Tensor2D];
  return { h: hn, c: cn, act };
}

const lstmOp = tf.customGrad((...args: unknown[]) => {
  const [x, h0, c0, wx, wh, b, save] = args as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor, (t: Tensor[]) => void];
  const [T, B, I] = x.shape;
  const H = h0.shape[1];
  // All steps' input projections at once: [T*B, 4H]; each step reads its rows in place.
  const xw = tf.add(tf.matMul(tf.reshape(x, [T * B, I]), wx), b) as Tensor2D;
  let h: Tensor2D = h0;
  let c: Tensor2D = c0;
  const hs: Tensor2D[] = [];
  const cs: Tensor2D[] = [];
  const acts: Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const [hn, cn, act] = runKernel(LSTM_CELL_FORWARD, { xw, hw: tf.matMul(h, wh), c }, { offset: t * B }) as [Tensor2D, Tensor2D, Tensor2D];
    h = hn;
    c = cn;
    hs.push(hn);
    cs.push(cn);
    acts.push(act);
  }
  save([x, h0, c0, wx, wh, ...hs, ...cs, ...acts]);
  const value = tf.reshape(tf.concat([...hs, c], 0), [T + 1, B, H]) as Tensor3D;
  const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => lstmBackward(dy as Tensor3D, saved, T, B, I, H);
  return { value, gradFunc };
});

function lstmBackward(dy: Tensor3D, saved: Tensor[], T: number, B: number, I: number, H: number): Tensor[] {
  const [x, h0, c0, wx, wh] = saved as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D];
  const hs = saved.slice(5, 5 + T) as Tensor2D[];
  const cs = saved.slice(5 + T, 5 + 2 * T) as Tensor2D[];
  const acts = saved.slice(5 + 2 * T, 5 + 3 * T) as Tensor2D[];
  // An explicit transpose then a plain matMul is several times faster than a transposed matMul
  // on wasm (see DESIGN.md).
  const whT = tf.transpose(wh);
  const dyRows = tf.reshape(dy, [(T + 1) * B, H]);
  let dhNext: Tensor2D = tf.zeros([B, H]);
  // The gradient arriving at the final cell state: the last block of dy.
  let dc = tf.reshape(tf.slice(dyRows, [T * B, 0], [B, H]), [B, H]) as Tensor2D;
  const dzs: Tensor2D[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    const cPrev = t > 0 ? (cs[t - 1] as Tensor2D) : c0;
    const [dz, dcPrev] = runKernel(
      LSTM_CELL_BACKWARD,
      { dy: dyRows, dhNext, dc, act: acts[t] as Tensor2D, c: cs[t] as Tensor2D, cPrev },
      { offset: t * B },
    ) as [Tensor2D, Tensor2D];
    dzs[t] = dz;
    dhNext = tf.matMul(dz, whT);
    dc = dcPrev;
  }
  const dZ = tf.concat(dzs, 0) as Tensor2D; // [T*B, 4H]
  const x2 = tf.reshape(x, [T * B, I]) as Tensor2D;
  const dx = tf.reshape(tf.matMul(dZ, tf.transpose(wx)), [T, B, I]);
  // h_{t-1} for every step: [h0, h_0 .. h_{T-2}].
  const hPrev = tf.concat([h0, ...hs.slice(0, T - 1)], 0) as Tensor2D;
  // Weight gradients as (dZ^T · x)^T: with the long T*B dimension inside, wasm's matmul runs
  // twice as fast when the wide operand (dZ^T, 4H rows) is on the left (0.40 s against 0.79 s
  // for 256x20480x1024), which pays for the one transpose of dZ.
  const dZT = tf.transpose(dZ);
  const dwx = tf.transpose(tf.matMul(dZT, x2));
  const dwh = tf.transpose(tf.matMul(dZT, hPrev));
  const db = tf.sum(dZ, 0);
  return [dx, dhNext, dc, dwx, dwh, db];
}
