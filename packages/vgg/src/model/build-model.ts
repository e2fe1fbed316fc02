import * as tfl from '@tensorflow/tfjs-layers';
import { type LayerSpec, layerSpecs } from '../architecture/layer-spec.js';
import { type ResolvedVgg, resolveOptions, type VggOptions } from '../config/options.js';
import { LocalResponseNorm } from './lrn-layer.js';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;

/** Kernel initialiser of a layer; `index` varies the seed from layer to layer. */
function kernelInit(o: ResolvedVgg, kind: 'conv' | 'dense', index: number): Initializer {
  const seed = o.seed * 1000 + index;
  if (o.init === 'paper') return tfl.initializers.randomNormal({ mean: 0, stddev: 0.01, seed });
  if (o.init === 'glorot') return tfl.initializers.glorotUniform({ seed });
  // torchvision: Kaiming normal (fan out) for convolutions, N(0, 0.01^2) for the classifier.
  if (kind === 'dense') return tfl.initializers.randomNormal({ mean: 0, stddev: 0.01, seed });
  return tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed });
}

/**
 * Builds a VGG network as a tfjs-layers Sequential model. Without batch norm a convolution and
 * its ReLU are one layer (one fused kernel on the wasm backend), named as in Keras' VGG16/VGG19
 * (block1_conv1 ... block5_pool, fc1, fc2, predictions); with batch norm each convolution is
 * followed by `<name>_bn` and `<name>_relu`. The model is not compiled.
 */
export function vgg(options: VggOptions = {}): tfl.Sequential {
  const o = resolveOptions(options);
  const specs = layerSpecs(o);
  const model = tfl.sequential({ name: `vgg_${o.config.replace('-', '_')}${o.batchNorm ? '_bn' : ''}` });
  let first = true;
  const input = (): { inputShape?: number[] } => {
    if (!first) return {};
    first = false;
    return { inputShape: o.inputShape };
  };
  specs.forEach((s: LayerSpec, i: number) => {
    const next = specs[i + 1];
    // A ReLU right after a convolution or dense layer is fused into it (not with batch norm between).
    const fusedRelu = next?.kind === 'relu';
    switch (s.kind) {
      case 'conv':
        model.add(
          tfl.layers.conv2d({
            ...input(),
            name: s.name,
            filters: s.filters as number,
            kernelSize: s.kernel as number,
            padding: 'same',
            activation: fusedRelu ? 'relu' : 'linear',
            kernelInitializer: kernelInit(o, 'conv', i),
            biasInitializer: 'zeros',
          }),
        );
        break;
      case 'batchnorm':
        // torchvision's BatchNorm2d: momentum 0.1 (0.9 in Keras terms), eps 1e-5.
        model.add(tfl.layers.batchNormalization({ name: s.name, momentum: 0.9, epsilon: 1e-5 }));
        break;
      case 'relu':
        if (specs[i - 1]?.kind === 'batchnorm') model.add(tfl.layers.reLU({ name: s.name }));
        break;
      case 'lrn':
        model.add(new LocalResponseNorm({ name: s.name }));
        break;
      case 'maxpool':
        model.add(tfl.layers.maxPooling2d({ name: s.name, poolSize: 2, strides: 2 }));
        break;
      case 'flatten':
        model.add(tfl.layers.flatten({ name: s.name }));
        break;
      case 'dense':
        model.add(
          tfl.layers.dense({
            name: s.name,
            units: s.outputShape[0] as number,
            activation: fusedRelu ? 'relu' : next?.kind === 'softmax' ? 'softmax' : 'linear',
            kernelInitializer: kernelInit(o, 'dense', i),
            biasInitializer: 'zeros',
          }),
        );
        break;
      case 'dropout':
        model.add(tfl.layers.dropout({ name: s.name, rate: o.dropout, seed: o.seed * 1000 + i }));
        break;
      case 'softmax':
        break;
      case 'globalpool':
        model.add(o.pooling === 'max' ? tfl.layers.globalMaxPooling2d({ name: s.name }) : tfl.layers.globalAveragePooling2d({ name: s.name }));
        break;
    }
  });
  return model;
}

/** The compact CIFAR-size VGG: 32x32x3 input, 10 classes, a 512-wide classifier, batch norm on. */
export function vggCifar(options: VggOptions = {}): tfl.Sequential {
  return vgg({ config: 11, inputShape: [32, 32, 3], numClasses: 10, classifierWidth: 512, batchNorm: true, ...options });
}
