import { rangeError, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { denseEvaluate } from './dense-model.js';

export interface MultiCropOptions {
  /** Smallest image side Q the images are rescaled to, one pass per scale. Default [256] (the paper tests Q in {256, 384, 512} for S = 256..512). */
  scales?: readonly number[];
  /** A grid x grid regular grid of crops per scale (the paper: 5, with flips 50 crops). Default 5. */
  grid?: number;
  /** Also evaluate the horizontally flipped crops. Default true. */
  flip?: boolean;
}

function checkScales(scales: readonly number[], least: number): void {
  if (!Array.isArray(scales) || scales.length === 0) throw rangeError('options.scales', 'a non-empty list of image sizes', scales);
  for (const q of scales) if (!Number.isInteger(q) || q < least) throw rangeError('options.scales', `integers >= ${least} (the crop size)`, q);
}

/** Rescales a batch isotropically so its smaller side is q. */
function rescale(images: tf.Tensor4D, q: number): tf.Tensor4D {
  const [, h, w] = images.shape;
  const s = q / Math.min(h, w);
  return tf.image.resizeBilinear(images, [Math.max(q, Math.round(h * s)), Math.max(q, Math.round(w * s))], false, true);
}

/**
 * Multi-crop evaluation (section 3.2): at each scale, the image is rescaled so its smaller side is
 * Q, a grid x grid regular grid of crops of the model's input size is taken (corners included),
 * optionally with their mirror images, and the softmax outputs of all crops of all scales are
 * averaged. Returns [batch, classes] probabilities.
 */
export function multiCropEvaluate(model: tfl.LayersModel, images: tf.Tensor4D, options: MultiCropOptions = {}): tf.Tensor2D {
  const shape = model.inputs[0]?.shape as (number | null)[];
  const [ch, cw] = [shape[1] as number, shape[2] as number];
  const scales = options.scales ?? [Math.max(256, ch, cw)];
  checkScales(scales, Math.max(ch, cw));
  const grid = options.grid ?? 5;
  if (!Number.isInteger(grid) || grid < 1) throw rangeError('options.grid', 'a positive integer', grid);
  const flip = options.flip ?? true;
  return tf.tidy(() => {
    let sum: tf.Tensor2D | undefined;
    let count = 0;
    for (const q of scales) {
      const big = rescale(images, q);
      const [, h, w] = big.shape;
      for (let gy = 0; gy < grid; gy++)
        for (let gx = 0; gx < grid; gx++) {
          const top = grid === 1 ? Math.floor((h - ch) / 2) : Math.round((gy * (h - ch)) / (grid - 1));
          const left = grid === 1 ? Math.floor((w - cw) / 2) : Math.round((gx * (w - cw)) / (grid - 1));
          const crop = tf.slice(big, [0, top, left, 0], [-1, ch, cw, -1]);
          for (const x of flip ? [crop, tf.reverse(crop, 2)] : [crop]) {
            const p = model.predict(x) as tf.Tensor2D;
            sum = sum ? (tf.add(sum, p) as tf.Tensor2D) : p;
            count++;
          }
        }
    }
    return tf.div(sum as tf.Tensor2D, count) as tf.Tensor2D;
  });
}

/**
 * Dense evaluation at several scales (section 3.2, table 4): the fully convolutional model runs on
 * the whole image rescaled to each Q, and the class posteriors are averaged over scales (and over
 * flips when `flip`). `dense` comes from denseModel().
 */
export function multiScaleDenseEvaluate(dense: tfl.LayersModel, images: tf.Tensor4D, options: { scales: readonly number[]; flip?: boolean }): tf.Tensor2D {
  // fc1 as a convolution spans the last feature map of the training crop, 32 times smaller.
  const kernel = dense.layers.find((l) => l.name === 'fc1_conv')?.getConfig().kernelSize as number[] | undefined;
  if (!kernel) throw rangeError('dense', 'a model made by denseModel() (with an fc1_conv layer)', dense.name);
  checkScales(options.scales, 32 * Math.max(kernel[0] as number, kernel[1] as number));
  return tf.tidy(() => {
    const parts = options.scales.map((q) => denseEvaluate(dense, rescale(images, q), { flip: options.flip ?? false }));
    return tf.div(tf.addN(parts), parts.length) as tf.Tensor2D;
  });
}
