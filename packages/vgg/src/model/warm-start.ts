import { rangeError } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface WarmStartReport {
  /** Layers whose weights were copied from the source, by name. */
  copied: string[];
  /** Convolutions of the target that keep their own initialisation. */
  initialised: string[];
}

const CONV = /^block(\d)_conv(\d)$/;

/**
 * The paper's warm start (section 3.1): a deeper configuration starts from a trained net A, taking
 * A's first four convolutional layers and its three fully connected layers; the other layers keep
 * their random initialisation. A's first four convolutions are block1_conv1, block2_conv1,
 * block3_conv1 and block3_conv2; each initialises the convolution in the same place of the deeper
 * net (same block, same position), which has the same shape. Batch-norm layers that follow a
 * copied convolution are copied too. Shapes are checked before anything is written, so a
 * mismatch changes nothing.
 */
export function warmStart(target: tfl.LayersModel, source: tfl.LayersModel, options: { convLayers?: number } = {}): WarmStartReport {
  const count = options.convLayers ?? 4;
  if (!Number.isInteger(count) || count < 0) throw rangeError('options.convLayers', 'a non-negative integer', count);
  const sourceConvs = source.layers.map((l) => l.name).filter((n) => CONV.test(n));
  const chosen = sourceConvs.slice(0, count);
  const names = [...chosen, ...chosen.map((n) => `${n}_bn`), 'fc1', 'fc2', 'predictions'].filter(
    (n) => source.layers.some((l) => l.name === n) && target.layers.some((l) => l.name === n),
  );
  const pairs = names.map((n) => {
    const from = source.getLayer(n).getWeights();
    const to = target.getLayer(n).getWeights();
    if (from.length !== to.length || from.some((w, i) => w.shape.join('x') !== to[i]?.shape.join('x')))
      throw rangeError(
        `layer ${n}`,
        `weights of shapes ${to.map((w) => w.shape.join('x')).join(', ')} in the source`,
        from.map((w) => w.shape.join('x')).join(', '),
      );
    return { n, from };
  });
  for (const { n, from } of pairs) target.getLayer(n).setWeights(from);
  return {
    copied: pairs.map((p) => p.n),
    initialised: target.layers.map((l) => l.name).filter((n) => CONV.test(n) && !names.includes(n)),
  };
}
