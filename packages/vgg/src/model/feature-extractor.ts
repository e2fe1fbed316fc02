import { rangeError } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The layer behind a tap name. Keras names (`block3_conv3`, `block4_pool`, `fc2`) are layer names;
 * the Caffe / torch names perceptual-loss code uses are aliases: `conv4_2` is block4_conv2's
 * convolution, `relu4_2` its ReLU output and `pool4` block4_pool. Without batch norm the ReLU is
 * fused into the convolution layer, so `conv4_2` and `relu4_2` are then the same (post-ReLU) tensor.
 */
export function tapLayerName(model: tfl.LayersModel, tap: string): string {
  const names = new Set(model.layers.map((l) => l.name));
  if (names.has(tap)) return tap;
  let m = /^(conv|relu)(\d)_(\d)$/.exec(tap);
  if (m) {
    const conv = `block${m[2]}_conv${m[3]}`;
    if (m[1] === 'relu' && names.has(`${conv}_relu`)) return `${conv}_relu`;
    if (names.has(conv)) return conv;
  }
  m = /^pool(\d)$/.exec(tap);
  if (m && names.has(`block${m[1]}_pool`)) return `block${m[1]}_pool`;
  throw rangeError('taps', `layer names of the model (${[...names].slice(0, 6).join(', ')}, ...) or aliases like relu4_2, conv3_1, pool5`, tap);
}

/**
 * A model from the VGG's input to the named layers' outputs (one output per tap, in order), sharing
 * the VGG's layers and weights: a feature extractor for perceptual / style losses and transfer
 * learning. Freeze it with `model.trainable = false` before training something on top.
 */
export function featureExtractor(model: tfl.LayersModel, taps: readonly string[]): tfl.LayersModel {
  if (!Array.isArray(taps) || taps.length === 0) throw rangeError('taps', 'a non-empty list of layer names', taps);
  const outputs = taps.map((t) => model.getLayer(tapLayerName(model, t)).output as tfl.SymbolicTensor);
  return tfl.model({ inputs: model.inputs, outputs: outputs.length === 1 ? (outputs[0] as tfl.SymbolicTensor) : outputs, name: `${model.name}_features` });
}
