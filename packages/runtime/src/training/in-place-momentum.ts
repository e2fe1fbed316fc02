import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm an in-place update touches. */
interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  refCount(dataId: object): number;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
}

interface Accumulation {
  originalName: string;
  variable: tf.Variable;
}

/**
 * tfjs's momentum SGD (same update, same saved state, same class name for serialisation), with
 * one temporary per variable instead of four: acc = m·acc + g is written over the accumulator in
 * the wasm heap, and w - lr·acc (Nesterov: w - lr·(g + m·acc)) into one new buffer that the
 * variable takes. tfjs's own update holds four temporaries the size of each variable at once: for
 * VGG-16's 25088x4096 dense kernel that is 1.6 GB on top of the weights, gradients and momentum,
 * past the 4 GiB the wasm heap can hold at batch 8.
 * The weights themselves are never written in place: XNNPACK caches packed weights by tensor and
 * would go on using the old ones. An accumulator whose data is shared with another tensor
 * (refCount above 1), or any variable on another backend, takes tfjs's functional update, so no
 * other tensor ever sees a change.
 */
export class InPlaceMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    const self = this as unknown as { accumulations: Accumulation[]; m: tf.Scalar; c: tf.Scalar; learningRate: number; momentum: number; useNesterov: boolean };
    const names = Array.isArray(variableGradients) ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
    const backend = tf.getBackend() === 'wasm' ? (tf.engine().backend as unknown as HeapBackend) : undefined;
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      if (self.accumulations[i] == null) {
        self.accumulations[i] = { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      const accumulation = (self.accumulations[i] as Accumulation).variable;
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (gradient == null) return;
      if (backend !== undefined && inPlace(backend, value, accumulation, gradient, self.learningRate, self.momentum, self.useNesterov)) return;
      tf.tidy(() => {
        const newAccumulation = tf.add(tf.mul(self.m, accumulation), gradient);
        const newValue = self.useNesterov
          ? tf.add(tf.mul(self.c, tf.add(gradient, tf.mul(newAccumulation, self.m))), value)
          : tf.add(tf.mul(self.c, newAccumulation), value);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
    (this as unknown as { incrementIterations(): void }).incrementIterations();
  }
}

/** The update written straight into the heap; false (nothing changed) where it may not be. */
function inPlace(backend: HeapBackend, value: tf.Variable, acc: tf.Variable, gradient: tf.Tensor, lr: number, m: number, nesterov: boolean): boolean {
  if (value.dtype !== 'float32' || acc.dtype !== 'float32' || gradient.dtype !== 'float32' || gradient.size !== value.size || acc.size !== value.size)
    return false;
  if (backend.refCount(acc.dataId) !== 1 || gradient.dataId === acc.dataId) return false;
  const info = backend.makeOutput(value.shape, 'float32');
  // Views are taken after makeOutput, which may grow (and so move) the heap.
  const next = backend.typedArrayFromHeap(info) as Float32Array;
  const w = backend.typedArrayFromHeap(value) as Float32Array;
  const a = backend.typedArrayFromHeap(acc) as Float32Array;
  const g = backend.typedArrayFromHeap(gradient) as Float32Array;
  // Rounded to float32 at each step, as tfjs's float32 ops are.
  const mf = Math.fround(m);
  const lf = Math.fround(-lr);
  if (nesterov) {
    for (let k = 0; k < w.length; k++) {
      const gk = g[k] as number;
      const ak = Math.fround(Math.fround(mf * (a[k] as number)) + gk);
      a[k] = ak;
      next[k] = Math.fround(lf * Math.fround(gk + Math.fround(ak * mf))) + (w[k] as number);
    }
  } else {
    for (let k = 0; k < w.length; k++) {
      const ak = Math.fround(Math.fround(mf * (a[k] as number)) + (g[k] as number));
      a[k] = ak;
      next[k] = Math.fround(lf * ak) + (w[k] as number);
    }
  }
  const updated = tf.engine().makeTensorFromTensorInfo(info);
  value.assign(updated);
  updated.dispose();
  return true;
}
