import { tf } from '@aiffel/runtime';
import { disposeConv, type FusedConv, type SeparableConv, separableConv } from './folding.js';
import { disposeAll, type FaceModelName, loadWeightMap, take, takeSeparable } from './weights.js';

/** The landmark net's input side. */
export const LANDMARK_INPUT_SIZE = 112;
/** The per-channel means the face-api.js feature extractors subtract (0..255 scale). */
export const MEAN_RGB: readonly [number, number, number] = [122.782, 117.001, 104.298];

type DenseBlock = [FusedConv | SeparableConv, SeparableConv, SeparableConv, SeparableConv];

/**
 * face-api.js's 68-point landmark net: four densely connected blocks of separable convs, an
 * average pool and a fully connected layer giving 136 coordinates relative to the square crop.
 */
export class LandmarkNet {
  private constructor(
    private readonly dense: DenseBlock[],
    private readonly fc: { weights: tf.Tensor2D; bias: tf.Tensor1D },
  ) {}

  static readonly modelName: FaceModelName = 'face_landmark_68_model';

  static async load(dir: string): Promise<LandmarkNet> {
    const map = await loadWeightMap(dir, LandmarkNet.modelName);
    const clone = <R extends tf.Rank>(key: string, rank: number) => tf.clone(take<R>(map, key, rank));
    const dense = [0, 1, 2, 3].map((d) => {
      const p = `dense${d}`;
      const first: FusedConv | SeparableConv =
        d === 0 ? { filter: clone(`${p}/conv0/filters`, 4), bias: clone(`${p}/conv0/bias`, 1) } : takeSeparable(map, `${p}/conv0`);
      return [first, takeSeparable(map, `${p}/conv1`), takeSeparable(map, `${p}/conv2`), takeSeparable(map, `${p}/conv3`)] as DenseBlock;
    });
    const fc = { weights: clone<tf.Rank.R2>('fc/weights', 2), bias: clone<tf.Rank.R1>('fc/bias', 1) };
    disposeAll(map);
    return new LandmarkNet(dense, fc);
  }

  /**
   * `[n, 112, 112, 3]` crops (0..255) to `[n, 136]` coordinates: x, y interleaved, relative to
   * the crop's side (0..1).
   */
  async run(batch: tf.Tensor4D): Promise<Float32Array> {
    const out = tf.tidy(() => {
      let x = tf.div(tf.sub(batch, tf.tensor1d([...MEAN_RGB])), 255) as tf.Tensor4D;
      for (const block of this.dense) x = denseBlock(x, block);
      x = tf.avgPool(x, [7, 7], [2, 2], 'valid');
      const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
      return tf.add(tf.matMul(flat, this.fc.weights), this.fc.bias);
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  dispose(): void {
    for (const block of this.dense) {
      for (const c of block) disposeConv(c);
    }
    this.fc.weights.dispose();
    this.fc.bias.dispose();
  }
}

function apply(x: tf.Tensor4D, c: FusedConv | SeparableConv, stride: 1 | 2): tf.Tensor4D {
  if ('depthwise' in c) return separableConv(x, c, stride);
  return tf.fused.conv2d({ x, filter: c.filter, strides: stride, pad: 'same', bias: c.bias });
}

/** out1 = relu(conv0(x)); out_k = conv_k(relu(out1 + ... + out_{k-1})); returns relu(sum). */
function denseBlock(x: tf.Tensor4D, [c0, c1, c2, c3]: DenseBlock): tf.Tensor4D {
  const out1 = tf.relu(apply(x, c0, 2));
  const out2 = apply(out1, c1, 1);
  const out3 = apply(tf.relu(tf.add(out1, out2)) as tf.Tensor4D, c2, 1);
  const out4 = apply(tf.relu(tf.addN([out1, out2, out3])) as tf.Tensor4D, c3, 1);
  return tf.relu(tf.addN([out1, out2, out3, out4])) as tf.Tensor4D;
}
