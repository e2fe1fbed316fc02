import { tf } from '@aiffel/runtime';
import { disposeConv, type FusedConv, foldAffine } from './folding.js';
import { MEAN_RGB } from './landmark-net.js';
import { disposeAll, type FaceModelName, loadWeightMap, take } from './weights.js';

/** The recognition net's input side (dlib's 150 x 150 face chips). */
export const RECOGNITION_INPUT_SIZE = 150;
/** Length of a face descriptor. */
export const DESCRIPTOR_SIZE = 128;

type Residual = [FusedConv, FusedConv];

const STAGES: { name: string; down: boolean }[] = [
  { name: 'conv32_1', down: false },
  { name: 'conv32_2', down: false },
  { name: 'conv32_3', down: false },
  { name: 'conv64_down', down: true },
  { name: 'conv64_1', down: false },
  { name: 'conv64_2', down: false },
  { name: 'conv64_3', down: false },
  { name: 'conv128_down', down: true },
  { name: 'conv128_1', down: false },
  { name: 'conv128_2', down: false },
  { name: 'conv256_down', down: true },
  { name: 'conv256_1', down: false },
  { name: 'conv256_2', down: false },
  { name: 'conv256_down_out', down: true },
];

/**
 * dlib's face recognition ResNet (29 conv layers, 128-d output; 99.38% on LFW) as ported to
 * tfjs by face-api.js, with each conv's "scale" layer folded into its filter and bias.
 */
export class RecognitionNet {
  private constructor(
    private readonly stem: FusedConv,
    private readonly blocks: { block: Residual; down: boolean }[],
    private readonly fc: tf.Tensor2D,
  ) {}

  static readonly modelName: FaceModelName = 'face_recognition_model';

  static async load(dir: string): Promise<RecognitionNet> {
    const map = await loadWeightMap(dir, RecognitionNet.modelName);
    const convLayer = (p: string): FusedConv =>
      foldAffine(take(map, `${p}/conv/filters`, 4), take(map, `${p}/conv/bias`, 1), take(map, `${p}/scale/weights`, 1), take(map, `${p}/scale/biases`, 1));
    const stem = convLayer('conv32_down');
    const blocks = STAGES.map(({ name, down }) => ({ block: [convLayer(`${name}/conv1`), convLayer(`${name}/conv2`)] as Residual, down }));
    const fc = tf.clone(take<tf.Rank.R2>(map, 'fc', 2));
    disposeAll(map);
    return new RecognitionNet(stem, blocks, fc);
  }

  /** `[n, 150, 150, 3]` face chips (0..255) to `[n, 128]` descriptors. */
  async run(batch: tf.Tensor4D): Promise<Float32Array> {
    const out = tf.tidy(() => {
      let x = tf.div(tf.sub(batch, tf.tensor1d([...MEAN_RGB])), 255) as tf.Tensor4D;
      x = tf.fused.conv2d({ x, filter: this.stem.filter, strides: 2, pad: 'valid', bias: this.stem.bias, activation: 'relu' });
      x = tf.maxPool(x, 3, 2, 'valid');
      for (const { block, down } of this.blocks) x = down ? residualDown(x, block) : residual(x, block);
      return tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, this.fc);
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  dispose(): void {
    disposeConv(this.stem);
    for (const { block } of this.blocks) block.forEach(disposeConv);
    this.fc.dispose();
  }
}

function residual(x: tf.Tensor4D, [c1, c2]: Residual): tf.Tensor4D {
  const a = tf.fused.conv2d({ x, filter: c1.filter, strides: 1, pad: 'same', bias: c1.bias, activation: 'relu' });
  const b = tf.fused.conv2d({ x: a, filter: c2.filter, strides: 1, pad: 'same', bias: c2.bias });
  return tf.relu(tf.add(b, x)) as tf.Tensor4D;
}

/**
 * The downsampling block: a stride-2 valid conv path and a 2x2 average-pool shortcut whose missing
 * channels are zeros. When the conv path comes out one row/column short (odd sizes), it is
 * padded with zeros at the bottom/right, as dlib's add_prev layer does.
 */
function residualDown(x: tf.Tensor4D, [c1, c2]: Residual): tf.Tensor4D {
  const a = tf.fused.conv2d({ x, filter: c1.filter, strides: 2, pad: 'valid', bias: c1.bias, activation: 'relu' });
  let b = tf.fused.conv2d({ x: a, filter: c2.filter, strides: 1, pad: 'same', bias: c2.bias });
  let pooled = tf.avgPool(x, 2, 2, 'valid') as tf.Tensor4D;
  const dh = pooled.shape[1] - b.shape[1];
  const dw = pooled.shape[2] - b.shape[2];
  if (dh > 0 || dw > 0)
    b = tf.pad(b, [
      [0, 0],
      [0, Math.max(dh, 0)],
      [0, Math.max(dw, 0)],
      [0, 0],
    ]);
  const dc = b.shape[3] - pooled.shape[3];
  if (dc > 0)
    pooled = tf.pad(pooled, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, dc],
    ]);
  return tf.relu(tf.add(pooled, b)) as tf.Tensor4D;
}
