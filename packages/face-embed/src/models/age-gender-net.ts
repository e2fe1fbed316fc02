import { tf } from '@aiffel/runtime';
import type { ChipGeometry } from '../embed/chip.js';
import { chipTransform } from '../embed/chip.js';
import { type ChipJob, type RgbImage, warpChips } from '../image/warp.js';
import { disposeConv, type FusedConv, type SeparableConv, separableConv } from './folding.js';
import { MEAN_RGB } from './landmark-net.js';
import { disposeAll, type FaceModelName, loadWeightMap, take, takeSeparable } from './weights.js';

/** Side of the net's input chip. */
export const AGE_GENDER_INPUT_SIZE = 112;

interface ReductionBlock {
  sep0: SeparableConv;
  sep1: SeparableConv;
  expansion: FusedConv;
}

/** Age (years) and gender estimates for one face. */
export interface AgeGender {
  age: number;
  gender: 'male' | 'female';
  /** Probability of the reported gender, 0.5..1. */
  genderProbability: number;
}

/** face-api.js's age and gender net: a tiny Xception (2 middle blocks) with two heads. */
export class AgeGenderNet {
  private constructor(
    private readonly convIn: FusedConv,
    private readonly entry: [ReductionBlock, ReductionBlock],
    private readonly middle: SeparableConv[][],
    private readonly exit: ReductionBlock,
    private readonly exitConv: SeparableConv,
    private readonly fcAge: { w: tf.Tensor2D; b: tf.Tensor1D },
    private readonly fcGender: { w: tf.Tensor2D; b: tf.Tensor1D },
  ) {}

  static readonly modelName: FaceModelName = 'age_gender_model';

  static async load(dir: string): Promise<AgeGenderNet> {
    const map = await loadWeightMap(dir, AgeGenderNet.modelName);
    const clone = <R extends tf.Rank>(key: string, rank: number) => tf.clone(take<R>(map, key, rank));
    const conv = (p: string): FusedConv => ({ filter: clone(`${p}/filters`, 4), bias: clone(`${p}/bias`, 1) });
    const sep = (p: string) => takeSeparable(map, p);
    const reduction = (p: string): ReductionBlock => ({
      sep0: sep(`${p}/separable_conv0`),
      sep1: sep(`${p}/separable_conv1`),
      expansion: conv(`${p}/expansion_conv`),
    });
    const net = new AgeGenderNet(
      conv('entry_flow/conv_in'),
      [reduction('entry_flow/reduction_block_0'), reduction('entry_flow/reduction_block_1')],
      [0, 1].map((i) => [0, 1, 2].map((j) => sep(`middle_flow/main_block_${i}/separable_conv${j}`))),
      reduction('exit_flow/reduction_block'),
      sep('exit_flow/separable_conv'),
      { w: clone('fc/age/weights', 2), b: clone('fc/age/bias', 1) },
      { w: clone('fc/gender/weights', 2), b: clone('fc/gender/bias', 1) },
    );
    disposeAll(map);
    return net;
  }

  /**
   * Estimates for faces given by their chip geometry (one batch for all faces), each with the
   * net's pooled features (`appearance`): a general face representation (age, gender, expression,
   * lighting) that a head can be trained on, unlike the identity-only 128-d descriptor.
   */
  async predict(img: RgbImage, chips: ChipGeometry[]): Promise<(AgeGender & { appearance: Float32Array })[]> {
    if (chips.length === 0) return [];
    const jobs = chips.map((g) => ({ t: chipTransform(g, AGE_GENDER_INPUT_SIZE), gain: 1 }));
    const { ages, genders, pooled, width } = await this.forward(warpChips(img, jobs, AGE_GENDER_INPUT_SIZE), chips.length);
    return chips.map((_, i) => {
      const male = genders[i * 2] as number;
      return {
        age: ages[i] as number,
        gender: male > 0.5 ? 'male' : 'female',
        genderProbability: male > 0.5 ? male : 1 - male,
        appearance: pooled.slice(i * width, (i + 1) * width),
      };
    });
  }

  /** The pooled features of chips given by transforms to AGE_GENDER_INPUT_SIZE (augmented copies). */
  async appearanceOf(img: RgbImage, jobs: ChipJob[]): Promise<Float32Array[]> {
    if (jobs.length === 0) return [];
    const { pooled, width } = await this.forward(warpChips(img, jobs, AGE_GENDER_INPUT_SIZE), jobs.length);
    return jobs.map((_, i) => pooled.slice(i * width, (i + 1) * width));
  }

  private async forward(pixels: Float32Array, n: number): Promise<{ ages: Float32Array; genders: Float32Array; pooled: Float32Array; width: number }> {
    const input = tf.tensor4d(pixels, [n, AGE_GENDER_INPUT_SIZE, AGE_GENDER_INPUT_SIZE, 3]);
    const [ageT, genderT, pooledT] = tf.tidy(() => {
      let x = tf.div(tf.sub(input, tf.tensor1d([...MEAN_RGB])), 255) as tf.Tensor4D;
      x = tf.fused.conv2d({ x, filter: this.convIn.filter, strides: 2, pad: 'same', bias: this.convIn.bias, activation: 'relu' });
      x = reduce(x, this.entry[0], false);
      x = reduce(x, this.entry[1], true);
      for (const [s0, s1, s2] of this.middle as [SeparableConv, SeparableConv, SeparableConv][]) {
        let y = separableConv(tf.relu(x), s0);
        y = separableConv(tf.relu(y), s1);
        y = separableConv(tf.relu(y), s2);
        x = tf.add(y, x);
      }
      x = reduce(x, this.exit, true);
      x = tf.relu(separableConv(x, this.exitConv));
      const pooled = tf.reshape(tf.avgPool(x, [7, 7], [2, 2], 'valid'), [n, -1]) as tf.Tensor2D;
      const age = tf.add(tf.matMul(pooled, this.fcAge.w), this.fcAge.b);
      const gender = tf.softmax(tf.add(tf.matMul(pooled, this.fcGender.w), this.fcGender.b));
      return [age, gender, pooled];
    });
    input.dispose();
    const [ages, genders, pooled] = (await Promise.all([ageT.data(), genderT.data(), pooledT.data()])) as Float32Array[];
    const width = pooledT.shape[1] as number;
    ageT.dispose();
    genderT.dispose();
    pooledT.dispose();
    return { ages: ages as Float32Array, genders: genders as Float32Array, pooled: pooled as Float32Array, width };
  }

  dispose(): void {
    const seps = [...this.middle.flat(), this.exitConv, ...[...this.entry, this.exit].flatMap((r) => [r.sep0, r.sep1])];
    for (const s of seps) disposeConv(s);
    for (const r of [...this.entry, this.exit]) disposeConv(r.expansion);
    disposeConv(this.convIn);
    for (const t of [this.fcAge.w, this.fcAge.b, this.fcGender.w, this.fcGender.b]) t.dispose();
  }
}

function reduce(x: tf.Tensor4D, r: ReductionBlock, activateInput: boolean): tf.Tensor4D {
  let y = separableConv(activateInput ? tf.relu(x) : x, r.sep0);
  y = separableConv(tf.relu(y), r.sep1);
  y = tf.maxPool(y, [3, 3], [2, 2], 'same');
  return tf.add(y, tf.fused.conv2d({ x, filter: r.expansion.filter, strides: 2, pad: 'same', bias: r.expansion.bias })) as tf.Tensor4D;
}
