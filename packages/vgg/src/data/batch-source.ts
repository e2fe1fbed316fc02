import { Rng, tf } from '@aiffel/runtime';

/** One mini-batch: images (preprocessed) and class ids. */
export interface Batch {
  x: tf.Tensor4D;
  y: ArrayLike<number>;
}

/**
 * Data that arrives in batches: a folder of images decoded as training goes (ImageFolder.source)
 * or tensors in memory (tensorSource). One `batches` call is one pass (an epoch); the same
 * (epoch, seed) gives the same order and the same augmentation, which is what makes a resumed
 * run continue exactly. The consumer disposes each batch's `x`.
 */
export interface BatchSource {
  /** Images per pass. */
  readonly size: number;
  batches(batchSize: number, epoch: number, seed: number): AsyncIterable<Batch>;
}

/** Images (already preprocessed) and their class ids, in memory. */
export interface TrainData {
  x: tf.Tensor4D;
  y: ArrayLike<number>;
}

export function isBatchSource(d: unknown): d is BatchSource {
  return d !== null && typeof d === 'object' && typeof (d as BatchSource).batches === 'function' && typeof (d as BatchSource).size === 'number';
}

/** The random generator of one epoch: a pure function of (seed, epoch), so a resumed run replays it. */
export function epochRng(seed: number, epoch: number): Rng {
  return new Rng(((seed >>> 0) * 0x9e3779b1 + epoch * 0x85ebca6b) | 0);
}

/**
 * Batches of in-memory tensors, shuffled per epoch when `shuffle`, each passed through
 * `augmentBatch` (e.g. random flips) when given.
 */
export function tensorSource(data: TrainData, options: { shuffle?: boolean; augmentBatch?: (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D } = {}): BatchSource {
  const n = data.x.shape[0];
  const labels = Int32Array.from(data.y as ArrayLike<number>);
  return {
    size: n,
    async *batches(batchSize, epoch, seed) {
      const rng = epochRng(seed, epoch);
      const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
      for (let b = 0; b < n; b += batchSize) {
        const ids = order.subarray(b, Math.min(n, b + batchSize));
        const x = tf.tidy(() => {
          const raw = tf.gather(data.x, tf.tensor1d(Int32Array.from(ids), 'int32')) as tf.Tensor4D;
          return options.augmentBatch ? options.augmentBatch(raw, rng) : raw;
        });
        yield { x, y: Int32Array.from(ids, (i) => labels[i] as number) };
      }
    },
  };
}
