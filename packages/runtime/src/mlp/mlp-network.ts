import * as tfl from '@tensorflow/tfjs-layers';
import type { CheckpointArray } from '../training/checkpoint-file.js';
import type { ResolvedMLPOptions } from './mlp-options.js';

const KERAS_ACTIVATION = { relu: 'relu', tanh: 'tanh', logistic: 'sigmoid', elu: 'elu' } as const;

/**
 * The network of an MLP: Dense (+ batch norm) (+ dropout) per hidden layer, then a linear Dense
 * output of `outputs` logits or values (the sigmoid / softmax live in the loss and in predictProba,
 * which is the numerically stable split). Initialisers and dropout are seeded.
 */
export function buildNetwork(inputs: number, outputs: number, o: ResolvedMLPOptions): tfl.Sequential {
  const model = tfl.sequential();
  let seed = o.seed * 7919 + 1;
  o.hiddenLayerSizes.forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        ...(i === 0 && { inputShape: [inputs] }),
        units,
        activation: o.batchNorm ? 'linear' : KERAS_ACTIVATION[o.activation],
        kernelInitializer:
          o.activation === 'relu' || o.activation === 'elu' ? tfl.initializers.heNormal({ seed: seed++ }) : tfl.initializers.glorotUniform({ seed: seed++ }),
      }),
    );
    if (o.batchNorm) {
      // Momentum 0.9 (PyTorch's 0.1): Keras' 0.99 lets the moving statistics lag far behind on
      // the few steps per epoch a table gives, and early stopping then judges a stale network.
      model.add(tfl.layers.batchNormalization({ momentum: 0.9 }));
      model.add(tfl.layers.activation({ activation: KERAS_ACTIVATION[o.activation] }));
    }
    if (o.dropout > 0) model.add(tfl.layers.dropout({ rate: o.dropout, seed: seed++ }));
  });
  model.add(
    tfl.layers.dense({
      ...(o.hiddenLayerSizes.length === 0 && { inputShape: [inputs] }),
      units: outputs,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }),
    }),
  );
  return model;
}

/** Every weight of the network (trainable and batch-norm statistics), in layer order. */
export function networkArrays(model: tfl.LayersModel): CheckpointArray[] {
  return model.weights.map((w, i) => ({ name: `w/${i}`, shape: w.shape as number[], data: Float32Array.from(w.read().dataSync()) }));
}
