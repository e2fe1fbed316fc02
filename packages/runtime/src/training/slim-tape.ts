import * as tf from '@tensorflow/tfjs-core';

/** A node of tfjs's gradient tape as it is recorded, as far as this file touches it. */
export interface RecordedNode {
  kernelName: string;
  outputs: tf.Tensor[];
  saved?: (tf.Tensor | ShapeOnly)[];
}

/** What stands in for a saved tensor whose gradient reads only its shape. */
interface ShapeOnly {
  readonly shape: number[];
  readonly dtype: tf.DataType;
  readonly rank: number;
  readonly size: number;
  dispose(): void;
}

interface EngineState {
  activeTape: RecordedNode[] | null;
  gradientDepth: number;
  kernelDepth: number;
}

/**
 * Kernels whose tfjs gradient saves tensors only to read their shapes (tfjs-core's Add_grad,
 * Sub_grad, Reshape_grad, ExpandDims_grad). A convolution's bias add is one: it kept the
 * pre-bias output of every convolution alive through the backward pass.
 */
const SHAPE_ONLY_SAVES = new Set(['Add', 'Sub', 'Reshape', 'ExpandDims']);

function shapeOnly(t: tf.Tensor): ShapeOnly {
  return { shape: t.shape.slice(), dtype: t.dtype, rank: t.rank, size: t.size, dispose: () => {} };
}

/**
 * `t` on the same memory, kept, made the way tfjs makes the tensors it saves (its clone runs inside
 * a kernel, kernelDepth > 0): the Identity kernel is not recorded, only clone's own pass-through
 * node, whose output leads nowhere and is never run backwards.
 */
function savedClone(state: EngineState, t: tf.Tensor): tf.Tensor {
  state.kernelDepth++;
  try {
    return tf.keep(tf.clone(t));
  } finally {
    state.kernelDepth--;
  }
}

/**
 * Makes the tape being recorded keep less for the backward pass, with the same gradients, while
 * the forward pass runs (its end is where a conv net's memory peaks):
 * - the saved inputs of SHAPE_ONLY_SAVES kernels become shape-only stand-ins;
 * - Relu keeps its output instead of its input: step(relu(x)) = step(x) for every x but NaN, and
 *   the output is usually kept anyway (the next layer's saved input), so a conv + bias + ReLU
 *   layer holds one activation instead of three.
 * Only nodes recorded at gradient depth 1 (a first-order gradient) are changed. Returns the
 * function that stops it.
 */
export function slimTape(state: EngineState): () => void {
  const tape = state.activeTape;
  if (tape === null) return () => {};
  const push = tape.push;
  tape.push = (...nodes: RecordedNode[]): number => {
    if (state.gradientDepth === 1) for (const node of nodes) slimNode(state, node);
    return push.apply(tape, nodes);
  };
  return () => {
    tape.push = push;
  };
}

function slimNode(state: EngineState, node: RecordedNode): void {
  const saved = node.saved;
  if (saved === undefined || saved.length === 0) return;
  if (SHAPE_ONLY_SAVES.has(node.kernelName)) {
    saved.forEach((t, i) => {
      saved[i] = shapeOnly(t as tf.Tensor);
      t.dispose();
    });
  } else if (node.kernelName === 'Relu' && saved.length === 1 && node.outputs.length === 1) {
    const input = saved[0] as tf.Tensor;
    saved[0] = savedClone(state, node.outputs[0] as tf.Tensor);
    input.dispose();
  }
}
