import * as tf from '@tensorflow/tfjs-core';
import { slimTape } from './slim-tape.js';

/** A node of tfjs's gradient tape, as far as this file touches it. */
interface TapeNode {
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

interface EngineState {
  activeTape: TapeNode[] | null;
  gradientDepth: number;
  kernelDepth: number;
}

/** What the node processed last still holds once its input gradients are computed. */
interface Consumed {
  dys: (tf.Tensor | null)[];
  saved: tf.Tensor[];
  returned: Set<tf.Tensor>;
}

/**
 * `tf.variableGrads(f, varList)`, with the same gradients, that frees memory as the backward pass
 * goes. tfjs keeps every intermediate gradient (dy of every tensor of the forward pass) and every
 * tensor saved for backprop until the whole backward pass ends: for VGG-16 at batch 8 that is a
 * second copy of all activations on top of the first, past the 4 GiB of the wasm heap. Here each
 * node's output gradients and saved tensors are disposed as soon as the node's input gradients
 * exist (when tfjs moves on to the next node), unless a gradient function handed one of them back
 * as an input gradient. While `f` runs, the tape it records is slimmed (slim-tape.ts: shape-only
 * stand-ins for what Add / Sub / Reshape / ExpandDims save, ReLU's output instead of its input),
 * so the forward pass's peak holds one activation per conv + bias + ReLU layer instead of three.
 * Only for first-order gradients: inside another gradient computation it is tfjs's own.
 *
 * `onFinal(variable, gradient)`, when given, is called as soon as the gradient of a variable that
 * feeds exactly one node of the tape is known (it cannot change after that), so that the caller
 * can apply it and free it layer by layer; when it returns true the gradient is disposed at once,
 * and the entry `grads` holds for it is a disposed tensor.
 */
export function leanVariableGrads(
  f: () => tf.Scalar,
  varList?: tf.Variable[],
  onFinal?: (variable: tf.Variable, gradient: tf.Tensor) => boolean,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  const variables = new Map((varList ?? Object.values(tf.engine().registeredVariables)).map((v) => [v.id, v]));
  const wrapped = (): tf.Scalar => {
    // Depth 1: the tape started for this call only (higher-order gradients need every tensor).
    const unslim = state.gradientDepth === 1 ? slimTape(state as unknown as Parameters<typeof slimTape>[0]) : () => {};
    let y: tf.Scalar;
    try {
      y = f();
    } finally {
      unslim();
    }
    if (state.gradientDepth === 1 && state.activeTape !== null) {
      let last: Consumed | null = null;
      const release = (): void => {
        if (last === null) return;
        // Saved entries may be slimTape's shape-only stand-ins, whose dispose does nothing.
        for (const t of [...last.dys, ...last.saved]) if (t !== null && !last.returned.has(t)) t.dispose();
        last = null;
      };
      // How many nodes on the way to y read each variable: a gradient is final after the only one
      // has run. Nodes whose outputs do not lead to y (tfjs records some, e.g. op scopes' copies
      // of their inputs) are never run by the backward pass and do not count.
      const uses = new Map<number, number>();
      const needed = new Set([y.id]);
      for (let i = state.activeTape.length - 1; i >= 0; i--) {
        const node = state.activeTape[i] as TapeNode;
        if (!node.outputs.some((o) => o && needed.has(o.id))) continue;
        for (const t of Object.values(node.inputs)) {
          if (!t) continue;
          needed.add(t.id);
          if (variables.has(t.id)) uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
        }
      }
      for (const node of state.activeTape) {
        const gradient = node.gradient;
        if (gradient === undefined) continue;
        node.gradient = (dys) => {
          // tfjs has called every input-gradient function of the node before: free what it used.
          release();
          const consumed: Consumed = { dys, saved: node.saved ?? [], returned: new Set() };
          const thunks = gradient(dys);
          const out: Record<string, () => tf.Tensor> = {};
          for (const [name, thunk] of Object.entries(thunks)) {
            out[name] = () => {
              const dx = thunk();
              consumed.returned.add(dx);
              const input = node.inputs[name];
              const variable = input === undefined ? undefined : variables.get(input.id);
              if (variable !== undefined && onFinal !== undefined && uses.get(variable.id) === 1 && onFinal(variable, dx)) dx.dispose();
              return dx;
            };
          }
          last = consumed;
          return out;
        };
      }
    }
    return y;
  };
  return tf.variableGrads(wrapped, varList);
}
