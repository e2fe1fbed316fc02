import { rangeError, tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The paper's dense evaluation (section 3.2): the fully connected layers become convolutions
 * (fc1 a convolution as large as the last feature map it was trained on, fc2 and predictions 1x1),
 * so the network runs on a whole image of any size at least the training crop and yields a map of
 * class scores, which is then averaged over space. The convolutional trunk is shared with the
 * original model (same layer objects, same weights); the fully connected weights are reshaped,
 * not retrained.
 *
 * `model` must be a VGG with its top (layers named flatten, fc1, fc2, predictions, as built by
 * vgg()). The returned model maps [batch, h, w, channels] to [batch, classes] probabilities.
 */
export function denseModel(model: tfl.LayersModel): tfl.LayersModel {
  const names = model.layers.map((l) => l.name);
  const flat = names.indexOf('flatten');
  if (flat < 0 || !names.includes('fc1') || !names.includes('fc2') || !names.includes('predictions'))
    throw rangeError('model', 'a VGG with its top (layers flatten, fc1, fc2, predictions)', names.slice(-4).join(', '));
  // The shape at the model's own (first) node: after a first denseModel() the trunk layers have a
  // second node, and `outputShape` refuses layers with several.
  const trunkOut = ((model.layers[flat - 1] as tfl.layers.Layer).getOutputAt(0) as tfl.SymbolicTensor).shape;
  const [fh, fw] = [trunkOut[1] as number, trunkOut[2] as number];
  const inShape = model.inputs[0]?.shape as (number | null)[];
  const input = tfl.input({ shape: [null, null, inShape[3] as number] });
  let h = input as tfl.SymbolicTensor;
  for (const layer of model.layers.slice(0, flat)) h = layer.apply(h) as tfl.SymbolicTensor;

  const asConv = (name: string, kernel: [number, number], activation: 'relu' | 'linear'): void => {
    const dense = model.getLayer(name);
    const [w, b] = dense.getWeights() as [tf.Tensor2D, tf.Tensor1D];
    const units = w.shape[1];
    const inC = w.shape[0] / (kernel[0] * kernel[1]);
    const conv = tfl.layers.conv2d({ name: `${name}_conv`, filters: units, kernelSize: kernel, padding: 'valid', activation });
    h = conv.apply(h) as tfl.SymbolicTensor;
    // Flatten of NHWC orders fc1's inputs as (row, column, channel): exactly a [kh, kw, inC, units] kernel.
    conv.setWeights([tf.reshape(w, [kernel[0], kernel[1], inC, units]), b]);
  };
  asConv('fc1', [fh, fw], 'relu');
  asConv('fc2', [1, 1], 'relu');
  asConv('predictions', [1, 1], 'linear');
  // Softmax at every position, then the spatial average of the class score map.
  h = tfl.layers.softmax({ name: 'score_map', axis: -1 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.globalAveragePooling2d({ name: 'average_scores' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: h, name: `${model.name}_dense` });
}

/**
 * Class probabilities of whole images by dense evaluation, averaged with the horizontally flipped
 * images when `flip` is true (as in the paper). Images must be at least the training crop size.
 */
export function denseEvaluate(dense: tfl.LayersModel, images: tf.Tensor4D, options: { flip?: boolean } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const p = dense.predict(images) as tf.Tensor2D;
    if (!options.flip) return p;
    const q = dense.predict(tf.reverse(images, 2)) as tf.Tensor2D;
    return tf.div(tf.add(p, q), 2) as tf.Tensor2D;
  });
}
