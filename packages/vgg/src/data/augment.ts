import { decodeImage, type ImageArray, type ImageInput, type Rng, rangeError, resizeImage } from '@aiffel/runtime';

/**
 * The paper's training augmentation (section 3.1): isotropically rescale the image so its shorter
 * side is S (fixed, or "scale jittering" with S drawn from [Smin, Smax] per image), take a random
 * crop x crop window, flip it horizontally with probability 1/2, and shift its colours along the
 * principal components of the training set's RGB values (AlexNet's PCA colour augmentation).
 */
export interface AugmentOptions {
  /** Side of the square crop (224 in the paper). */
  crop: number;
  /** Shorter side after rescaling: a number (single-scale training, S = 256 or 384) or [Smin, Smax] (jittered, [256, 512]). Default crop. */
  scale?: number | [number, number];
  /** Flip horizontally with probability 1/2. Default true. */
  flip?: boolean;
  /** Standard deviation of the PCA colour shift's coefficients (0.1 in AlexNet; 0 turns it off). Default 0.1. */
  colourStd?: number;
  /** Principal components of RGB values on 0..255 (colourPca); default ImageNet's. */
  pca?: ColourPca;
}

/** Eigenvalues (descending) and unit eigenvectors (rows) of the RGB covariance, for values on 0..255. */
export interface ColourPca {
  eigenvalues: [number, number, number];
  eigenvectors: [[number, number, number], [number, number, number], [number, number, number]];
}

/** ImageNet's RGB principal components (the values used by fb.resnet.torch), scaled to 0..255. */
export const IMAGENET_PCA: ColourPca = {
  eigenvalues: [0.2175 * 255, 0.0188 * 255, 0.0045 * 255],
  eigenvectors: [
    [-0.5675, -0.5808, -0.5836],
    [0.7192, -0.0045, -0.6948],
    [0.4009, -0.814, 0.4203],
  ],
};

/** S for one image: the fixed scale, or uniform in [Smin, Smax] (integers). */
export function sampleScale(scale: number | [number, number], rng: Rng): number {
  if (typeof scale === 'number') return scale;
  const [lo, hi] = scale;
  return lo + rng.int(hi - lo + 1);
}

function checkOptions(o: AugmentOptions): void {
  if (!Number.isInteger(o.crop) || o.crop < 1) throw rangeError('crop', 'a positive integer', o.crop);
  const s = o.scale ?? o.crop;
  const [lo, hi] = typeof s === 'number' ? [s, s] : s;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || (lo as number) < o.crop || (hi as number) < (lo as number))
    throw rangeError('scale', `an integer >= crop (${o.crop}) or [Smin, Smax] with crop <= Smin <= Smax`, s);
  const std = o.colourStd ?? 0.1;
  if (!(std >= 0 && Number.isFinite(std))) throw rangeError('colourStd', 'a finite number >= 0', std);
}

/** A new RGB image flipped left to right. */
export function flipHorizontal(img: ImageArray): ImageArray {
  const { width, height, channels } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * channels;
      const dst = (y * width + (width - 1 - x)) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = img.data[src + c] as number;
    }
  return { data: out, width, height, channels, shape: [height, width, channels] };
}

/** The size x size window at (left, top). */
export function cropImage(img: ImageArray, left: number, top: number, size: number): ImageArray {
  const { width, height, channels } = img;
  if (left < 0 || top < 0 || left + size > width || top + size > height)
    throw rangeError('crop window', `inside the ${width}x${height} image`, `${size}x${size} at (${left}, ${top})`);
  const out = new Uint8Array(size * size * channels);
  for (let y = 0; y < size; y++)
    out.set(img.data.subarray(((top + y) * width + left) * channels, ((top + y) * width + left + size) * channels), y * size * channels);
  return { data: out, width: size, height: size, channels, shape: [size, size, channels] };
}

/**
 * AlexNet's colour augmentation: adds sum_i alpha_i * lambda_i * p_i to every pixel (alpha_i from
 * N(0, std^2), one draw per image), clamped to 0..255. Returns the shift added.
 */
export function pcaColourShift(img: ImageArray, rng: Rng, std = 0.1, pca: ColourPca = IMAGENET_PCA): [number, number, number] {
  if (img.channels !== 3) throw rangeError('image channels', '3 (RGB)', img.channels);
  const shift: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const a = rng.normal(0, std) * (pca.eigenvalues[i] as number);
    for (let c = 0; c < 3; c++) shift[c] = (shift[c] as number) + a * (pca.eigenvectors[i]?.[c] as number);
  }
  const d = img.data;
  for (let p = 0; p < d.length; p += 3)
    for (let c = 0; c < 3; c++) d[p + c] = Math.min(255, Math.max(0, Math.round((d[p + c] as number) + (shift[c] as number))));
  return shift;
}

/** The image decoded as RGB and rescaled isotropically: the shorter side becomes `s`, the other keeps the aspect ratio. */
export async function rescaleShorterSide(input: ImageInput, s: number): Promise<ImageArray> {
  const img = await decodeImage(input, { channels: 3 });
  const k = s / Math.min(img.width, img.height);
  const width = Math.max(s, Math.round(img.width * k));
  const height = Math.max(s, Math.round(img.height * k));
  return resizeImage(img, { width, height, kernel: 'linear', channels: 3 });
}

/** One augmented training crop of an image (decoded and resized with sharp through @aiffel/runtime). */
export async function augment(input: ImageInput, options: AugmentOptions, rng: Rng): Promise<ImageArray> {
  checkOptions(options);
  const s = sampleScale(options.scale ?? options.crop, rng);
  const scaled = await rescaleShorterSide(input, s);
  let out = cropImage(scaled, rng.int(scaled.width - options.crop + 1), rng.int(scaled.height - options.crop + 1), options.crop);
  if ((options.flip ?? true) && rng.random() < 0.5) out = flipHorizontal(out);
  const std = options.colourStd ?? 0.1;
  if (std > 0) pcaColourShift(out, rng, std, options.pca);
  return out;
}
