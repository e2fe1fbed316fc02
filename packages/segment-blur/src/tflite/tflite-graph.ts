import type * as tfc from '@tensorflow/tfjs-core';
import { readTfliteModel, TensorType, type TfliteModel, type TfliteOperator } from './flatbuffer-model.js';
import { float16ToFloat32 } from './float16.js';

type Tf = typeof tfc;

/** Builtin operator codes from TFLite's schema that the interpreter runs. */
const Op = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  RESIZE_BILINEAR: 23,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  MEAN: 40,
  HARD_SWISH: 117,
} as const;

const SUPPORTED = new Set<number>(Object.values(Op));
const TRANSPOSE_CONV_BIAS = 'Convolution2DTransposeBias';

/**
 * Runs a float TFLite model with tfjs-core ops, so the MediaPipe segmentation models that ship
 * inside `@mediapipe/selfie_segmentation` work in Node without MediaPipe's browser runtime.
 * Weights (float32 or float16) are converted once at load, in the layouts tfjs wants; the graph
 * then replays the operator list on every call. Only the operators those models use (plus a few
 * common neighbours) are implemented; anything else is refused when the model is loaded.
 */
export class TfliteGraph {
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly description: string;
  private readonly tf: Tf;
  private readonly model: TfliteModel;
  /** Constant tensors keyed by tensor index, in the layout their consumer needs. */
  private readonly constants = new Map<number, tfc.Tensor>();
  private readonly arrays = new Map<number, Float32Array | Int32Array>();

  constructor(tf: Tf, bytes: Uint8Array) {
    this.tf = tf;
    this.model = readTfliteModel(bytes);
    const m = this.model;
    if (m.inputs.length !== 1 || m.outputs.length < 1) throw new Error(`tflite model: expected one input, got ${m.inputs.length}`);
    this.inputShape = (m.tensors[m.inputs[0] as number] as { shape: number[] }).shape;
    this.outputShape = (m.tensors[m.outputs[0] as number] as { shape: number[] }).shape;
    this.description = m.description;
    for (const op of m.operators) {
      if (op.custom !== undefined ? op.custom !== TRANSPOSE_CONV_BIAS : !SUPPORTED.has(op.builtin))
        throw new Error(`tflite model: operator ${op.custom ?? `#${op.builtin}`} is not supported`);
    }
    this.foldConstants();
    this.prepareWeights();
  }

  /** Frees the weight tensors. */
  dispose(): void {
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
  }

  /** Runs the graph on an NHWC float input and returns its first output (caller disposes). */
  predict(input: tfc.Tensor): tfc.Tensor {
    const tf = this.tf;
    return tf.tidy(() => {
      const values = new Map<number, tfc.Tensor>();
      values.set(this.model.inputs[0] as number, input);
      const get = (i: number): tfc.Tensor => {
        const v = values.get(i) ?? this.constants.get(i);
        if (v === undefined) throw new Error(`tflite model: tensor ${i} is used before it is computed`);
        return v;
      };
      for (const op of this.model.operators) {
        if (op.builtin === Op.DEQUANTIZE && this.arrays.has(op.outputs[0] as number)) continue;
        const out = this.run(op, get);
        values.set(op.outputs[0] as number, out);
      }
      return get(this.model.outputs[0] as number);
    });
  }

  private run(op: TfliteOperator, get: (i: number) => tfc.Tensor): tfc.Tensor {
    const tf = this.tf;
    const x = get(op.inputs[0] as number) as tfc.Tensor4D;
    if (op.custom === TRANSPOSE_CONV_BIAS) {
      const opts = new Int32Array(new Uint8Array(op.customOptions ?? new Uint8Array(12)).buffer);
      const padding = opts[0] === 2 ? 'valid' : 'same';
      const [sw, sh] = [opts[1] || 1, opts[2] || 1];
      const filter = get(op.inputs[1] as number) as tfc.Tensor4D;
      const outShape = this.model.tensors[op.outputs[0] as number]?.shape as [number, number, number, number];
      const y = tf.conv2dTranspose(x, filter, outShape, [sh, sw], padding);
      return op.inputs[2] !== undefined && op.inputs[2] >= 0 ? tf.add(y, get(op.inputs[2])) : y;
    }
    switch (op.builtin) {
      case Op.CONV_2D: {
        const y = tf.conv2d(x, get(op.inputs[1] as number) as tfc.Tensor4D, [op.optionInt(2, 1), op.optionInt(1, 1)], padding(op.optionByte(0, 0)), 'NHWC', [
          op.optionInt(5, 1),
          op.optionInt(4, 1),
        ]);
        return this.activate(this.bias(y, op), op.optionByte(3, 0));
      }
      case Op.DEPTHWISE_CONV_2D: {
        const y = tf.depthwiseConv2d(
          x,
          get(op.inputs[1] as number) as tfc.Tensor4D,
          [op.optionInt(2, 1), op.optionInt(1, 1)],
          padding(op.optionByte(0, 0)),
          'NHWC',
          [op.optionInt(6, 1), op.optionInt(5, 1)],
        );
        return this.activate(this.bias(y, op), op.optionByte(4, 0));
      }
      case Op.AVERAGE_POOL_2D:
      case Op.MAX_POOL_2D: {
        const size: [number, number] = [op.optionInt(4, 1), op.optionInt(3, 1)];
        const strides: [number, number] = [op.optionInt(2, 1), op.optionInt(1, 1)];
        const pad = padding(op.optionByte(0, 0));
        const y = op.builtin === Op.AVERAGE_POOL_2D ? tf.avgPool(x, size, strides, pad) : tf.maxPool(x, size, strides, pad);
        return this.activate(y, op.optionByte(5, 0));
      }
      case Op.ADD:
        return this.activate(tf.add(x, get(op.inputs[1] as number)), op.optionByte(0, 0));
      case Op.MUL:
        return this.activate(tf.mul(x, get(op.inputs[1] as number)), op.optionByte(0, 0));
      case Op.LOGISTIC:
        return tf.sigmoid(x);
      case Op.TANH:
        return tf.tanh(x);
      case Op.RELU:
        return tf.relu(x);
      case Op.RELU6:
        return tf.relu6(x);
      case Op.HARD_SWISH:
        return tf.mul(x, tf.mul(tf.relu6(tf.add(x, 3)), 1 / 6));
      case Op.SOFTMAX:
        return tf.softmax(x);
      case Op.DEQUANTIZE:
        return tf.cast(x, 'float32');
      case Op.MEAN: {
        const axes = Array.from(this.intArray(op.inputs[1] as number, 'MEAN axes'));
        return tf.mean(x, axes, op.optionByte(0, 0) !== 0);
      }
      case Op.RESHAPE: {
        const shape = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? Array.from(this.intArray(op.inputs[1], 'RESHAPE shape')) : op.optionInts(0);
        return tf.reshape(x, shape);
      }
      case Op.RESIZE_BILINEAR: {
        const [h, w] = this.intArray(op.inputs[1] as number, 'RESIZE_BILINEAR size') as unknown as [number, number];
        return tf.image.resizeBilinear(x, [h, w], op.optionByte(2, 0) !== 0, op.optionByte(3, 0) !== 0);
      }
      case Op.CONCATENATION: {
        const parts = op.inputs.map((i) => get(i));
        const rank = x.rank;
        const axis = op.optionInt(0, 0);
        return this.activate(tf.concat(parts, axis < 0 ? axis + rank : axis), op.optionByte(1, 0));
      }
      case Op.PAD: {
        const p = this.intArray(op.inputs[1] as number, 'PAD paddings');
        const pairs: [number, number][] = [];
        for (let i = 0; i < p.length; i += 2) pairs.push([p[i] as number, p[i + 1] as number]);
        return tf.pad(x, pairs);
      }
      default:
        throw new Error(`tflite model: operator #${op.builtin} is not supported`);
    }
  }

  private bias(y: tfc.Tensor, op: TfliteOperator): tfc.Tensor {
    const b = op.inputs[2];
    return b !== undefined && b >= 0 ? this.tf.add(y, this.constants.get(b) ?? (undefined as never)) : y;
  }

  private activate(y: tfc.Tensor, fused: number): tfc.Tensor {
    // TFLite ActivationFunctionType: NONE, RELU, RELU_N1_TO_1, RELU6, TANH.
    switch (fused) {
      case 0:
        return y;
      case 1:
        return this.tf.relu(y);
      case 2:
        return this.tf.clipByValue(y, -1, 1);
      case 3:
        return this.tf.relu6(y);
      case 4:
        return this.tf.tanh(y);
      default:
        throw new Error(`tflite model: fused activation ${fused} is not supported`);
    }
  }

  private intArray(index: number, what: string): Int32Array {
    const a = this.arrays.get(index);
    if (!(a instanceof Int32Array)) throw new Error(`tflite model: ${what} must be a constant int32 tensor`);
    return a;
  }

  /** Decodes constant buffers and folds DEQUANTIZE of constants (float16 weights) at load time. */
  private foldConstants(): void {
    const m = this.model;
    m.tensors.forEach((t, i) => {
      if (!t.data) return;
      const copy = new Uint8Array(t.data); // aligned copy: buffers sit at arbitrary offsets
      if (t.type === TensorType.FLOAT32) this.arrays.set(i, new Float32Array(copy.buffer, 0, copy.length >> 2));
      else if (t.type === TensorType.FLOAT16) this.arrays.set(i, float16ToFloat32(copy));
      else if (t.type === TensorType.INT32) this.arrays.set(i, new Int32Array(copy.buffer, 0, copy.length >> 2));
      else throw new Error(`tflite model: constant tensor ${t.name} has unsupported type ${t.type} (quantized models are not supported)`);
      const expected = t.shape.reduce((a, b) => a * b, 1);
      if ((this.arrays.get(i) as Float32Array).length !== expected)
        throw new Error(`tflite model: constant ${t.name} holds ${(this.arrays.get(i) as Float32Array).length} values for shape [${t.shape}]`);
    });
    for (const op of m.operators) {
      const src = this.arrays.get(op.inputs[0] as number);
      if (op.builtin === Op.DEQUANTIZE && src) this.arrays.set(op.outputs[0] as number, src);
    }
  }

  /** Turns constant weights into tensors, transposed to tfjs layouts for the convolutions. */
  private prepareWeights(): void {
    const tf = this.tf;
    const m = this.model;
    const layoutOf = new Map<number, 'conv' | 'depthwise' | 'transpose'>();
    for (const op of m.operators) {
      const w = op.inputs[1] as number;
      if (op.builtin === Op.CONV_2D) layoutOf.set(w, 'conv');
      else if (op.builtin === Op.DEPTHWISE_CONV_2D) layoutOf.set(w, 'depthwise');
      else if (op.custom === TRANSPOSE_CONV_BIAS) layoutOf.set(w, 'transpose');
    }
    for (const [i, values] of this.arrays) {
      // float16 sources are only read through their folded DEQUANTIZE outputs.
      if (values instanceof Int32Array || m.tensors[i]?.type === TensorType.FLOAT16) continue;
      const shape = (m.tensors[i] as { shape: number[] }).shape;
      const layout = layoutOf.get(i);
      let t: tfc.Tensor;
      if (layout === undefined) t = tf.tensor(values, shape);
      else {
        // TFLite filters are [out, kh, kw, in]; depthwise ones [1, kh, kw, in * multiplier].
        const [o, kh, kw, c] = shape as [number, number, number, number];
        const raw = tf.tensor4d(values, [o, kh, kw, c]);
        if (layout === 'conv') t = tf.transpose(raw, [1, 2, 3, 0]);
        else if (layout === 'transpose') t = tf.transpose(raw, [1, 2, 0, 3]);
        else {
          const inChannels = this.depthwiseInChannels(i);
          t = tf.reshape(raw, [kh, kw, inChannels, c / inChannels]);
        }
        if (t !== raw) raw.dispose();
      }
      this.constants.set(i, t);
    }
  }

  private depthwiseInChannels(weight: number): number {
    const op = this.model.operators.find((o) => o.builtin === Op.DEPTHWISE_CONV_2D && o.inputs[1] === weight) as TfliteOperator;
    const shape = (this.model.tensors[op.inputs[0] as number] as { shape: number[] }).shape;
    return shape[3] as number;
  }
}

function padding(code: number): 'same' | 'valid' {
  return code === 1 ? 'valid' : 'same';
}
