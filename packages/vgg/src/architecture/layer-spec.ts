import { CONFIGURATIONS } from '../config/configurations.js';
import type { ResolvedVgg } from '../config/options.js';

export type LayerKind = 'conv' | 'batchnorm' | 'relu' | 'lrn' | 'maxpool' | 'flatten' | 'dense' | 'dropout' | 'softmax' | 'globalpool';

/** One layer of a VGG network, computed without building it. */
export interface LayerSpec {
  /** Keras VGG16/VGG19 names (block3_conv2, fc1, predictions), so weights and taps line up. */
  name: string;
  kind: LayerKind;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  /** Trainable parameters (what torchvision counts). */
  params: number;
  /** Non-trainable parameters (batch norm's moving mean and variance). */
  nonTrainable: number;
  /** Multiply-accumulates for one image (convolutions and dense layers). */
  macs: number;
  /** Convolutions: kernel size (1 or 3); pooling: 2. */
  kernel?: number;
  stride?: number;
  filters?: number;
}

/** Channels after the width multiplier. */
export function scaledFilters(filters: number, multiplier: number): number {
  return Math.max(1, Math.round(filters * multiplier));
}

/** The network described by resolved options, layer by layer, with shapes, parameters and MACs. */
export function layerSpecs(o: ResolvedVgg): LayerSpec[] {
  let [h, w, c] = o.inputShape;
  const out: LayerSpec[] = [];
  const blocks = CONFIGURATIONS[o.config];
  blocks.forEach((block, b) => {
    block.forEach((conv, i) => {
      const name = `block${b + 1}_conv${i + 1}`;
      const f = scaledFilters(conv.filters, o.widthMultiplier);
      const weights = conv.kernel * conv.kernel * c * f;
      out.push({
        name,
        kind: 'conv',
        outputShape: [h, w, f],
        params: weights + f,
        nonTrainable: 0,
        macs: h * w * weights,
        kernel: conv.kernel,
        stride: 1,
        filters: f,
      });
      c = f;
      if (o.batchNorm) out.push({ name: `${name}_bn`, kind: 'batchnorm', outputShape: [h, w, c], params: 2 * c, nonTrainable: 2 * c, macs: 0 });
      out.push({ name: `${name}_relu`, kind: 'relu', outputShape: [h, w, c], params: 0, nonTrainable: 0, macs: 0 });
      if (o.config === 'A-LRN' && b === 0 && i === 0)
        out.push({ name: 'block1_lrn', kind: 'lrn', outputShape: [h, w, c], params: 0, nonTrainable: 0, macs: 0 });
    });
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
    out.push({ name: `block${b + 1}_pool`, kind: 'maxpool', outputShape: [h, w, c], params: 0, nonTrainable: 0, macs: 0, kernel: 2, stride: 2 });
  });
  if (o.includeTop) {
    const flat = h * w * c;
    out.push({ name: 'flatten', kind: 'flatten', outputShape: [flat], params: 0, nonTrainable: 0, macs: 0 });
    let units = flat;
    for (const name of ['fc1', 'fc2']) {
      out.push({
        name,
        kind: 'dense',
        outputShape: [o.classifierWidth],
        params: units * o.classifierWidth + o.classifierWidth,
        nonTrainable: 0,
        macs: units * o.classifierWidth,
      });
      out.push({ name: `${name}_relu`, kind: 'relu', outputShape: [o.classifierWidth], params: 0, nonTrainable: 0, macs: 0 });
      if (o.dropout > 0) out.push({ name: `${name}_dropout`, kind: 'dropout', outputShape: [o.classifierWidth], params: 0, nonTrainable: 0, macs: 0 });
      units = o.classifierWidth;
    }
    out.push({
      name: 'predictions',
      kind: 'dense',
      outputShape: [o.numClasses],
      params: units * o.numClasses + o.numClasses,
      nonTrainable: 0,
      macs: units * o.numClasses,
    });
    out.push({ name: 'predictions_softmax', kind: 'softmax', outputShape: [o.numClasses], params: 0, nonTrainable: 0, macs: 0 });
  } else if (o.pooling) {
    out.push({ name: `global_${o.pooling}_pool`, kind: 'globalpool', outputShape: [c], params: 0, nonTrainable: 0, macs: 0 });
  }
  return out;
}
