import * as tf from '@tensorflow/tfjs-core';
import { leanVariableGrads } from './lean-backprop.js';

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
  /** tfjs's gradients, freeing each intermediate gradient once used (see leanVariableGrads). */
  override computeGradients(f: () => tf.Scalar, varList?: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    return leanVariableGrads(f, varList);
  }

  /**
   * tfjs's minimize, applying each variable's update during the backward pass as soon as its
   * gradient is final and freeing that gradient (layer by layer), instead of holding every
   * gradient until the end. Same updates in the same order per variable: each depends only on
   * its own gradient and state. Where an update cannot run in place it waits for the end, as in tfjs.
   */
  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const done = new Set<string>();
    const names = new Map<string, number>();
    for (const [i, v] of (varList ?? Object.values(tf.engine().registeredVariables).filter((v) => v.trainable)).entries()) names.set(v.name, i);
    const { value, grads } = leanVariableGrads(f, varList, (variable, gradient) => {
      const i = names.get(variable.name);
      if (i === undefined || !this.updateOne(i, variable, gradient)) return false;
      done.add(variable.name);
      return true;
    });
    const rest = [...names.keys()].filter((name) => !done.has(name)).map((name) => ({ name, tensor: grads[name] as tf.Tensor }));
    this.applyGradients(rest, names);
    tf.dispose(grads);
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * tfjs's applyGradients. `slots` (for minimize) gives each variable's position in the full
   * list, which is where its accumulator lives, when only some of the variables are passed.
   */
  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0], slots?: Map<string, number>): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      const slot = slots?.get(name) ?? i;
      const accumulation = this.accumulator(slot, value); // made even without a gradient, as tfjs does
      if (gradient == null) return;
      if (this.updateOne(slot, value, gradient)) return;
      const self = this as unknown as { m: tf.Scalar; c: tf.Scalar; useNesterov: boolean };
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

  /** The momentum accumulator in `slot`, made (zeros) on first use, as tfjs does. */
  private accumulator(slot: number, value: tf.Variable): tf.Variable {
    const accumulations = (this as unknown as { accumulations: Accumulation[] }).accumulations;
    if (accumulations[slot] == null) {
      accumulations[slot] = { originalName: `${value.name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    }
    return (accumulations[slot] as Accumulation).variable;
  }

  /** The in-place update of one variable on wasm; false (nothing changed) where it cannot run. */
  private updateOne(slot: number, value: tf.Variable, gradient: tf.Tensor): boolean {
    if (tf.getBackend() !== 'wasm') return false;
    const self = this as unknown as { learningRate: number; momentum: number; useNesterov: boolean };
    const backend = tf.engine().backend as unknown as HeapBackend;
    return inPlace(backend, value, this.accumulator(slot, value), gradient, self.learningRate, self.momentum, self.useNesterov);
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
