import { tf } from '@aiffel/runtime';
import { disposeConv, type FusedConv, type SeparableConv, separableConv } from './folding.js';
import type { SsdOutput } from './ssd-mobilenet.js';
import { disposeAll, type FaceModelName, loadWeightMap, take, takeSeparable } from './weights.js';

/** Anchor sizes in grid cells (face-api.js's tiny face detector). */
const ANCHORS: readonly [number, number][] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
const MEAN_RGB = [117.001, 114.697, 97.404];
const LEAKY_ALPHA = 0.10000000149011612;

/**
 * face-api.js's tiny face detector: a Tiny-YOLOv2 with separable convs (190 KB of weights, about
 * 10x less compute than the SSD), one 13 x 13 grid (at 416) of 5 anchors.
 */
export class TinyFaceDetectorNet {
  private constructor(
    private readonly conv0: FusedConv,
    private readonly separable: SeparableConv[],
    private readonly head: FusedConv,
  ) {}

  static readonly modelName: FaceModelName = 'tiny_face_detector_model';

  static async load(dir: string): Promise<TinyFaceDetectorNet> {
    const map = await loadWeightMap(dir, TinyFaceDetectorNet.modelName);
    const clone = <R extends tf.Rank>(key: string, rank: number) => tf.clone(take<R>(map, key, rank));
    const net = new TinyFaceDetectorNet(
      { filter: clone('conv0/filters', 4), bias: clone('conv0/bias', 1) },
      [1, 2, 3, 4, 5].map((i) => takeSeparable(map, `conv${i}`)),
      { filter: clone('conv8/filters', 4), bias: clone('conv8/bias', 1) },
    );
    disposeAll(map);
    return net;
  }

  /** `[1, s, s, 3]` pixels (0..255, s a multiple of 32) to every anchor's box and score. */
  async run(batch: tf.Tensor4D): Promise<SsdOutput> {
    const out = tf.tidy(() => {
      let x = tf.div(tf.sub(batch, tf.tensor1d(MEAN_RGB)), 255) as tf.Tensor4D;
      x = tf.leakyRelu(tf.fused.conv2d({ x, filter: this.conv0.filter, strides: 1, pad: 'valid', bias: this.conv0.bias }), LEAKY_ALPHA);
      x = tf.maxPool(x, 2, 2, 'same');
      this.separable.forEach((c, i) => {
        x = tf.leakyRelu(separableConv(x, c), LEAKY_ALPHA);
        x = tf.maxPool(x, 2, i === 4 ? 1 : 2, 'same');
      });
      return tf.fused.conv2d({ x, filter: this.head.filter, strides: 1, pad: 'valid', bias: this.head.bias });
    });
    const cells = out.shape[1] as number;
    const raw = (await out.data()) as Float32Array;
    out.dispose();
    const n = cells * cells * ANCHORS.length;
    const boxes = new Float32Array(n * 4);
    const scores = new Float32Array(n);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    for (let row = 0; row < cells; row++) {
      for (let col = 0; col < cells; col++) {
        for (let a = 0; a < ANCHORS.length; a++) {
          const i = (row * cells + col) * ANCHORS.length + a;
          const o = i * 5;
          const [aw, ah] = ANCHORS[a] as [number, number];
          const cx = (col + sigmoid(raw[o] as number)) / cells;
          const cy = (row + sigmoid(raw[o + 1] as number)) / cells;
          const w = (Math.exp(raw[o + 2] as number) * aw) / cells;
          const h = (Math.exp(raw[o + 3] as number) * ah) / cells;
          boxes[i * 4] = cy - h / 2;
          boxes[i * 4 + 1] = cx - w / 2;
          boxes[i * 4 + 2] = cy + h / 2;
          boxes[i * 4 + 3] = cx + w / 2;
          scores[i] = sigmoid(raw[o + 4] as number);
        }
      }
    }
    return { boxes, scores };
  }

  dispose(): void {
    disposeConv(this.conv0);
    disposeConv(this.head);
    for (const c of this.separable) disposeConv(c);
  }
}
