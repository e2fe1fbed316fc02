import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type ImageArray, Rng, rangeError, tf } from '@aiffel/runtime';
import { type AugmentOptions, augment, cropImage, rescaleShorterSide } from './augment.js';
import { type Batch, type BatchSource, epochRng } from './batch-source.js';
import { type PreprocessOptions, preprocessPixels } from './preprocess.js';

const EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

export interface FolderSourceOptions {
  /** 'train': the paper's augmentation (random crop of a rescaled image, flip, colour shift); 'eval': rescale and take the centre crop. */
  mode: 'train' | 'eval';
  /** Side of the square crop the network takes (224 in the paper). */
  crop: number;
  /** Train: S, fixed or [Smin, Smax] (default crop). Eval: Q, the shorter side before the centre crop (default crop). */
  scale?: number | [number, number];
  /** Train only: horizontal flips (default true) and the PCA colour shift's std (default 0.1). */
  flip?: boolean;
  colourStd?: number;
  pca?: AugmentOptions['pca'];
  /** Default { mode: 'caffe' } with the ImageNet mean. */
  preprocess?: PreprocessOptions;
  /** Default true in 'train', false in 'eval'. */
  shuffle?: boolean;
  /** Images decoded at once (sharp works on libuv's threads, beside training). Default 8. */
  concurrency?: number;
}

/**
 * Labelled images in class folders (`root/<class>/<image>`, torchvision's ImageFolder layout):
 * classes are the sub-folder names in sorted order. Files are only listed here; `source()`
 * decodes them batch by batch with sharp, decoding the next batch while the current one trains.
 */
export class ImageFolder {
  private constructor(
    readonly root: string,
    readonly classes: string[],
    readonly items: readonly { path: string; label: number }[],
  ) {}

  static async open(root: string, options: { extensions?: readonly string[] } = {}): Promise<ImageFolder> {
    const extensions = (options.extensions ?? EXTENSIONS).map((e) => e.toLowerCase());
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch (err) {
      throw new Error(`ImageFolder: cannot read ${root}: ${(err as Error).message}`);
    }
    const classes: string[] = [];
    for (const e of entries.sort()) if ((await stat(join(root, e))).isDirectory() && !e.startsWith('.')) classes.push(e);
    if (classes.length === 0) throw rangeError('root', 'a folder with one sub-folder per class', root);
    const items: { path: string; label: number }[] = [];
    for (const [label, c] of classes.entries()) {
      const files = (await readdir(join(root, c))).filter((f) => extensions.includes(extname(f).toLowerCase())).sort();
      for (const f of files) items.push({ path: join(root, c, f), label });
    }
    if (items.length === 0) throw rangeError('root', `images (${extensions.join(', ')}) in its class folders`, root);
    return new ImageFolder(root, classes, items);
  }

  get size(): number {
    return this.items.length;
  }

  /** Images per class, in class order. */
  counts(): number[] {
    const out = new Array<number>(this.classes.length).fill(0);
    for (const it of this.items) out[it.label] = (out[it.label] as number) + 1;
    return out;
  }

  /**
   * A stratified split: `fraction` of each class (rounded, at least one image when the class has
   * two or more) goes to the second part, chosen with `seed`.
   */
  split(fraction: number, seed = 0): [ImageFolder, ImageFolder] {
    if (!(fraction > 0 && fraction < 1)) throw rangeError('fraction', 'a number in (0, 1)', fraction);
    const rng = new Rng(seed);
    const keep: { path: string; label: number }[] = [];
    const held: { path: string; label: number }[] = [];
    for (let c = 0; c < this.classes.length; c++) {
      const mine = this.items.filter((it) => it.label === c);
      const order = rng.permutation(mine.length);
      const k = mine.length < 2 ? 0 : Math.max(1, Math.round(fraction * mine.length));
      for (const [rank, i] of order.entries()) (rank < k ? held : keep).push(mine[i] as { path: string; label: number });
    }
    return [new ImageFolder(this.root, this.classes, keep), new ImageFolder(this.root, this.classes, held)];
  }

  /** Batches for train() (as data or validation) or for evaluation. */
  source(options: FolderSourceOptions): BatchSource {
    const { mode, crop } = options;
    if (mode !== 'train' && mode !== 'eval') throw rangeError('options.mode', "'train' or 'eval'", mode);
    if (!Number.isInteger(crop) || crop < 1) throw rangeError('options.crop', 'a positive integer', crop);
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw rangeError('options.concurrency', 'a positive integer', concurrency);
    const scale = options.scale ?? crop;
    if (mode === 'eval' && (typeof scale !== 'number' || !Number.isInteger(scale) || scale < crop))
      throw rangeError('options.scale', `an integer >= crop (${crop}) in eval mode`, scale);
    const shuffle = options.shuffle ?? mode === 'train';
    const preprocess = options.preprocess ?? {};
    preprocessPixels([0, 0, 0], preprocess); // checks the options now, not at the first batch
    const augmentOptions: AugmentOptions = {
      crop,
      scale,
      flip: options.flip ?? true,
      colourStd: options.colourStd ?? 0.1,
      ...(options.pca && { pca: options.pca }),
    };
    const items = this.items;
    // `base`: the epoch's seed for per-image generators (image i uses base + i), drawn once per epoch.
    const load = async (index: number, base: number): Promise<ImageArray> => {
      const item = items[index] as { path: string; label: number };
      try {
        if (mode === 'train') return await augment(item.path, augmentOptions, new Rng(base + index));
        return await centreCrop(item.path, scale as number, crop);
      } catch (err) {
        throw new Error(`ImageFolder: ${item.path}: ${(err as Error).message}`);
      }
    };
    const decodeBatch = async (ids: Int32Array, base: number): Promise<{ pixels: Float32Array; labels: Int32Array }> => {
      const images: ImageArray[] = new Array(ids.length);
      for (let s = 0; s < ids.length; s += concurrency) {
        const part = Array.from(ids.subarray(s, s + concurrency));
        const done = await Promise.all(part.map((i) => load(i, base)));
        done.forEach((img, k) => {
          images[s + k] = img;
        });
      }
      const pixels = new Float32Array(ids.length * crop * crop * 3);
      for (const [k, img] of images.entries()) pixels.set(preprocessPixels(img.data, preprocess), k * crop * crop * 3);
      return { pixels, labels: Int32Array.from(ids, (i) => (items[i] as { label: number }).label) };
    };
    return {
      size: items.length,
      async *batches(batchSize: number, epoch: number, seed: number): AsyncIterable<Batch> {
        const order = shuffle ? epochRng(seed, epoch).permutation(items.length) : Int32Array.from({ length: items.length }, (_, i) => i);
        const base = epochRng(seed, epoch).int(2 ** 30);
        const starts: number[] = [];
        for (let b = 0; b < items.length; b += batchSize) starts.push(b);
        const fetch = (b: number) => decodeBatch(order.subarray(b, Math.min(items.length, b + batchSize)), base);
        // One batch ahead: it decodes on libuv's threads while the consumer trains on this one.
        // A consumer that stops early must not leave an unhandled rejection behind; awaiting still throws.
        const ahead = (i: number) => {
          const p = fetch(starts[i] as number);
          p.catch(() => {});
          return p;
        };
        let next = starts.length > 0 ? ahead(0) : undefined;
        for (let i = 0; i < starts.length; i++) {
          const current = await (next as Promise<{ pixels: Float32Array; labels: Int32Array }>);
          next = i + 1 < starts.length ? ahead(i + 1) : undefined;
          yield { x: tf.tensor4d(current.pixels, [current.labels.length, crop, crop, 3]), y: current.labels };
        }
      },
    };
  }
}

/** Eval-time view: the shorter side rescaled to q, then the centre crop x crop window. */
async function centreCrop(path: string, q: number, crop: number): Promise<ImageArray> {
  const scaled = await rescaleShorterSide(path, q);
  return cropImage(scaled, Math.floor((scaled.width - crop) / 2), Math.floor((scaled.height - crop) / 2), crop);
}
