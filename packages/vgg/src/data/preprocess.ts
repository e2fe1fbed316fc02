import { rangeError, tf } from '@aiffel/runtime';

/**
 * 'caffe': the original VGG weights' convention (and Keras' vgg16.preprocess_input): RGB to BGR,
 * then subtract the mean pixel, on 0..255 values. 'torch': torchvision's: divide by 255, subtract
 * the ImageNet mean and divide by its standard deviation, RGB. 'none': values as given. Mixing
 * them up is the classic silent accuracy loss with imported weights (pytorch/vision#28).
 */
export type PreprocessMode = 'caffe' | 'torch' | 'none';

/** ImageNet mean pixel in RGB order on 0..255 (the caffe mode subtracts it in BGR order). */
export const IMAGENET_MEAN_RGB: readonly [number, number, number] = [123.68, 116.779, 103.939];
export const TORCH_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const TORCH_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

export interface PreprocessOptions {
  /** 'caffe' | 'torch' | 'none' (default 'caffe'). */
  mode?: PreprocessMode;
  /** caffe mode: the mean pixel to subtract, RGB order, 0..255 (default the ImageNet mean; the paper subtracts the training set's own mean: see meanPixel). */
  mean?: readonly [number, number, number];
}

function resolve(options: PreprocessOptions): { mode: PreprocessMode; mean: readonly [number, number, number] } {
  const mode = options.mode ?? 'caffe';
  if (mode !== 'caffe' && mode !== 'torch' && mode !== 'none') throw rangeError('mode', "'caffe', 'torch' or 'none'", mode);
  const mean = options.mean ?? IMAGENET_MEAN_RGB;
  if (!Array.isArray(mean) || mean.length !== 3 || !mean.every((v) => Number.isFinite(v))) throw rangeError('mean', 'three finite numbers (R, G, B)', mean);
  return { mode, mean };
}

/**
 * Preprocesses interleaved RGB pixels (HWC, 0..255; any length that is a multiple of 3) into a new
 * Float32Array in the layout the network takes (BGR for caffe).
 */
export function preprocessPixels(rgb: ArrayLike<number>, options: PreprocessOptions = {}): Float32Array {
  const { mode, mean } = resolve(options);
  if (rgb.length % 3 !== 0) throw rangeError('pixels length', 'a multiple of 3 (interleaved R, G, B)', rgb.length);
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i] as number;
    const g = rgb[i + 1] as number;
    const b = rgb[i + 2] as number;
    if (mode === 'caffe') {
      out[i] = b - mean[2];
      out[i + 1] = g - mean[1];
      out[i + 2] = r - mean[0];
    } else if (mode === 'torch') {
      out[i] = (r / 255 - TORCH_MEAN[0]) / TORCH_STD[0];
      out[i + 1] = (g / 255 - TORCH_MEAN[1]) / TORCH_STD[1];
      out[i + 2] = (b / 255 - TORCH_MEAN[2]) / TORCH_STD[2];
    } else {
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
    }
  }
  return out;
}

/** The same on a tensor whose last axis is RGB (0..255), e.g. [batch, h, w, 3]. */
export function preprocessTensor(x: tf.Tensor, options: PreprocessOptions = {}): tf.Tensor {
  const { mode, mean } = resolve(options);
  const channels = x.shape[x.shape.length - 1];
  if (channels !== 3) throw rangeError('input channels (last axis)', '3 (RGB)', channels);
  return tf.tidy(() => {
    const f = tf.cast(x, 'float32');
    if (mode === 'caffe') return tf.sub(tf.reverse(f, -1), tf.tensor1d([mean[2], mean[1], mean[0]]));
    if (mode === 'torch') return tf.div(tf.sub(tf.div(f, 255), tf.tensor1d([...TORCH_MEAN])), tf.tensor1d([...TORCH_STD]));
    return f;
  });
}

/** The mean pixel (RGB, 0..255) of a set of interleaved RGB images: what the paper subtracts. */
export function meanPixel(images: Iterable<ArrayLike<number>>): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (const img of images) {
    if (img.length % 3 !== 0) throw rangeError('image length', 'a multiple of 3 (interleaved R, G, B)', img.length);
    for (let i = 0; i < img.length; i += 3) {
      sum[0] = (sum[0] as number) + (img[i] as number);
      sum[1] = (sum[1] as number) + (img[i + 1] as number);
      sum[2] = (sum[2] as number) + (img[i + 2] as number);
    }
    n += img.length / 3;
  }
  if (n === 0) throw rangeError('images', 'at least one pixel', 0);
  return [(sum[0] as number) / n, (sum[1] as number) / n, (sum[2] as number) / n];
}
