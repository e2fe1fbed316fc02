import { tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';

export interface LrnConfig {
  name?: string;
  /** Channels on each side of the window (2: a window of 5, as in AlexNet and VGG A-LRN). */
  depthRadius?: number;
  bias?: number;
  alpha?: number;
  beta?: number;
}

/**
 * Local response normalisation across channels, as in configuration A-LRN (Krizhevsky et al.'s
 * k = 2, n = 5, alpha = 1e-4, beta = 0.75): x / (k + alpha * sum of squares over the window)^beta.
 * tfjs-layers has no such layer; this one wraps tf.localResponseNormalization and serialises
 * its settings so a saved A-LRN model loads back.
 */
export class LocalResponseNorm extends tfl.layers.Layer {
  static className = 'LocalResponseNorm';
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(config: LrnConfig = {}) {
    super({ name: config.name });
    this.depthRadius = config.depthRadius ?? 2;
    this.bias = config.bias ?? 2;
    this.alpha = config.alpha ?? 1e-4;
    this.beta = config.beta ?? 0.75;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.localResponseNormalization(x as tf.Tensor4D, this.depthRadius, this.bias, this.alpha, this.beta);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
}

/**
 * Registers the layer with tfjs's serialization, so saved or sent A-LRN topologies deserialise
 * (loadLayersModel here, modelFromJSON in a training worker). Idempotent.
 */
export function registerLocalResponseNorm(): void {
  tf.serialization.registerClass(LocalResponseNorm);
}

registerLocalResponseNorm();
