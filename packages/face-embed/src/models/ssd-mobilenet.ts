import { tf } from '@aiffel/runtime';
import { batchNormAffine, disposeConv, type FusedConv, foldAffine } from './folding.js';
import { disposeAll, type FaceModelName, loadWeightMap, take } from './weights.js';

/** The SSD input side: images are padded to a square and resized to 512 x 512. */
export const SSD_INPUT_SIZE = 512;

const BN_EPSILON = 0.0010000000474974513;
/** MobileNet v1 layers whose depthwise conv has stride 2. */
const STRIDE2_LAYERS = new Set([2, 4, 6, 12]);

interface Layer extends FusedConv {
  stride: 1 | 2;
}

/** Raw network output for one image: 5,118 anchors' decoded boxes and face scores. */
export interface SsdOutput {
  /** `[ymin, xmin, ymax, xmax]` per anchor, relative to the padded square input (0..1). */
  boxes: Float32Array;
  scores: Float32Array;
}

/**
 * SSD with a MobileNet v1 backbone (the face detector of face-api.js, trained on WIDER FACE),
 * rebuilt on tfjs-core with batch norms folded into fused conv + bias + relu6 kernels.
 */
export class SsdMobilenet {
  private constructor(
    private readonly stem: Layer,
    private readonly blocks: { depthwise: Layer; pointwise: Layer }[],
    private readonly extra: Layer[],
    private readonly predictors: { box: FusedConv; cls: FusedConv }[],
    private readonly anchors: Float32Array,
  ) {}

  static readonly modelName: FaceModelName = 'ssd_mobilenetv1_model';

  static async load(dir: string): Promise<SsdMobilenet> {
    const map = await loadWeightMap(dir, SsdMobilenet.modelName);
    // Every tensor kept is a clone or a folded copy, so the whole map is disposed at the end.
    const get = <R extends tf.Rank>(key: string, rank: number) => take<R>(map, key, rank);
    const pointwise = (prefix: string, stride: 1 | 2): Layer => ({
      filter: tf.clone(get<tf.Rank.R4>(`${prefix}/weights`, 4)),
      bias: tf.clone(get<tf.Rank.R1>(`${prefix}/convolution_bn_offset`, 1)),
      stride,
    });
    const stem = pointwise('MobilenetV1/Conv2d_0_pointwise', 2);
    const blocks: { depthwise: Layer; pointwise: Layer }[] = [];
    for (let i = 1; i <= 13; i++) {
      const p = `MobilenetV1/Conv2d_${i}_depthwise`;
      const bn = batchNormAffine(
        get(`${p}/BatchNorm/gamma`, 1),
        get(`${p}/BatchNorm/beta`, 1),
        get(`${p}/BatchNorm/moving_mean`, 1),
        get(`${p}/BatchNorm/moving_variance`, 1),
        BN_EPSILON,
      );
      const folded = foldAffine(get(`${p}/depthwise_weights`, 4), null, bn.scale, bn.shift, true);
      bn.scale.dispose();
      bn.shift.dispose();
      blocks.push({
        depthwise: { ...folded, stride: STRIDE2_LAYERS.has(i) ? 2 : 1 },
        pointwise: pointwise(`MobilenetV1/Conv2d_${i}_pointwise`, 1),
      });
    }
    const extra = Array.from({ length: 8 }, (_, i) => pointwise(`Prediction/Conv2d_${i}_pointwise`, i % 2 === 1 ? 2 : 1));
    const predictors = Array.from({ length: 6 }, (_, i) => {
      const conv = (kind: string): FusedConv => ({
        filter: tf.clone(get<tf.Rank.R4>(`Prediction/BoxPredictor_${i}/${kind}/weights`, 4)),
        bias: tf.clone(get<tf.Rank.R1>(`Prediction/BoxPredictor_${i}/${kind}/biases`, 1)),
      });
      return { box: conv('BoxEncodingPredictor'), cls: conv('ClassPredictor') };
    });
    const anchors = get<tf.Rank.R3>('Output/extra_dim', 3).dataSync() as Float32Array;
    disposeAll(map);
    return new SsdMobilenet(stem, blocks, extra, predictors, Float32Array.from(anchors));
  }

  /**
   * Runs the network on a batch `[n, 512, 512, 3]` of 0..255 pixels and decodes every anchor.
   */
  async run(batch: tf.Tensor4D): Promise<SsdOutput[]> {
    const n = batch.shape[0];
    const [boxT, clsT] = tf.tidy(() => {
      let x = tf.sub(tf.div(batch, 127.5), 1) as tf.Tensor4D;
      x = conv(x, this.stem);
      let conv11: tf.Tensor4D = x;
      this.blocks.forEach((b, i) => {
        x = tf.fused.depthwiseConv2d({ x, filter: b.depthwise.filter, strides: b.depthwise.stride, pad: 'same', bias: b.depthwise.bias, activation: 'relu6' });
        x = conv(x, b.pointwise);
        if (i + 1 === 11) conv11 = x;
      });
      const maps: tf.Tensor4D[] = [conv11, x];
      let y = x;
      this.extra.forEach((layer, i) => {
        y = conv(y, layer);
        if (i % 2 === 1) maps.push(y);
      });
      const boxes: tf.Tensor[] = [];
      const classes: tf.Tensor[] = [];
      maps.forEach((m, i) => {
        const p = this.predictors[i] as { box: FusedConv; cls: FusedConv };
        boxes.push(tf.reshape(tf.fused.conv2d({ x: m, filter: p.box.filter, strides: 1, pad: 'same', bias: p.box.bias }), [n, -1, 4]));
        classes.push(tf.reshape(tf.fused.conv2d({ x: m, filter: p.cls.filter, strides: 1, pad: 'same', bias: p.cls.bias }), [n, -1, 3]));
      });
      return [tf.concat(boxes, 1), tf.concat(classes, 1)];
    });
    const [enc, cls] = await Promise.all([boxT.data() as Promise<Float32Array>, clsT.data() as Promise<Float32Array>]);
    boxT.dispose();
    clsT.dispose();
    const count = this.anchors.length / 4;
    const out: SsdOutput[] = [];
    for (let b = 0; b < n; b++) {
      out.push(decode(enc.subarray(b * count * 4, (b + 1) * count * 4), cls.subarray(b * count * 3, (b + 1) * count * 3), this.anchors));
    }
    return out;
  }

  dispose(): void {
    for (const l of [this.stem, ...this.extra]) disposeConv(l);
    for (const b of this.blocks) {
      disposeConv(b.depthwise);
      disposeConv(b.pointwise);
    }
    for (const p of this.predictors) {
      disposeConv(p.box);
      disposeConv(p.cls);
    }
  }
}

function conv(x: tf.Tensor4D, layer: Layer): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: layer.filter, strides: layer.stride, pad: 'same', bias: layer.bias, activation: 'relu6' });
}

/**
 * The TensorFlow Object Detection box coder (scale factors 10, 10, 5, 5) against the anchors,
 * and the face score as the sigmoid of the second class logit.
 */
function decode(enc: Float32Array, cls: Float32Array, anchors: Float32Array): SsdOutput {
  const count = anchors.length / 4;
  const boxes = new Float32Array(count * 4);
  const scores = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = i * 4;
    const ah = (anchors[a + 2] as number) - (anchors[a] as number);
    const aw = (anchors[a + 3] as number) - (anchors[a + 1] as number);
    const acy = (anchors[a] as number) + ah / 2;
    const acx = (anchors[a + 1] as number) + aw / 2;
    const cy = ((enc[a] as number) / 10) * ah + acy;
    const cx = ((enc[a + 1] as number) / 10) * aw + acx;
    const hh = (Math.exp((enc[a + 2] as number) / 5) * ah) / 2;
    const hw = (Math.exp((enc[a + 3] as number) / 5) * aw) / 2;
    boxes[a] = cy - hh;
    boxes[a + 1] = cx - hw;
    boxes[a + 2] = cy + hh;
    boxes[a + 3] = cx + hw;
    scores[i] = 1 / (1 + Math.exp(-(cls[i * 3 + 1] as number)));
  }
  return { boxes, scores };
}
