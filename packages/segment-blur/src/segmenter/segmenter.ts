import { assertKnownOptions, type DecodeOptions, decodeImage, type ImageArray, type ImageInput, ready, tf } from '@aiffel/runtime';
import type * as tfc from '@tensorflow/tfjs-core';
import { toRgb } from '../effects/rgb.js';
import type { Mask } from '../mask/mask.js';
import { resizeMask } from '../mask/resize.js';
import { TfliteGraph } from '../tflite/tflite-graph.js';
import { type BuiltinModel, readModelBytes } from './builtin-models.js';
import { cropMask, type FitMode, prepareModelInput } from './model-input.js';
import { type RefineOptions, refineMask } from './refine.js';

export interface SegmenterOptions {
  /** 'selfie' (default, 256x256), 'landscape' (144x256) or a float TFLite model with one [1,h,w,3] 0..1 input and a [1,h,w,1] probability output. */
  model?: BuiltinModel | { tflite: string | Uint8Array };
}

export interface SegmentOptions {
  /** How the photo is fitted to the model input. Default 'stretch' (what MediaPipe does). */
  fit?: FitMode;
  /** Mask refinement at the photo's size, or false to skip it. Default: no edge filter (the measured best IoU on the portrait set). */
  refine?: RefineOptions | false;
  /** Refuse larger images (decompression bombs). Default 268 million pixels (sharp's limit). */
  maxPixels?: number;
}

export interface Segmentation {
  /** The decoded photo (RGB, EXIF orientation applied): effects take it with `mask`. */
  image: ImageArray;
  /** Person probability at the photo's size, refined. */
  mask: Mask;
  /** The model's own output at its input resolution (the letterbox cropped away). */
  modelMask: Mask;
}

/**
 * Person segmentation with MediaPipe's selfie models, run by our TFLite interpreter on the tfjs
 * wasm backend: decode (any format sharp reads, EXIF honoured), fit to the model input, predict,
 * upsample bilinearly to the photo and refine the edge against the photo.
 */
export class Segmenter {
  private constructor(
    private readonly graph: TfliteGraph,
    readonly inputWidth: number,
    readonly inputHeight: number,
    readonly description: string,
  ) {}

  static async load(options: SegmenterOptions = {}): Promise<Segmenter> {
    assertKnownOptions('Segmenter options', options, ['model']);
    const bytes = await readModelBytes(options.model ?? 'selfie');
    await ready();
    const graph = new TfliteGraph(tf, bytes);
    const [n, h, w, c] = graph.inputShape as [number, number, number, number];
    if (graph.inputShape.length !== 4 || n !== 1 || c !== 3)
      throw new Error(`options.model: expected a [1, height, width, 3] input, got [${graph.inputShape}]`);
    const out = graph.outputShape;
    if (out.length !== 4 || out[1] !== h || out[2] !== w || out[3] !== 1)
      throw new Error(`options.model: expected a [1, ${h}, ${w}, 1] mask output, got [${out}]`);
    return new Segmenter(graph, w, h, graph.description);
  }

  /** Segments a photo: a path, encoded bytes, an image array / ndarray or a 3-D tensor. */
  async segment(input: ImageInput, options: SegmentOptions = {}): Promise<Segmentation> {
    if (this.disposed) throw new Error('Segmenter.segment: this segmenter was disposed; load a new one with Segmenter.load()');
    assertKnownOptions('segment options', options, ['fit', 'refine', 'maxPixels']);
    const decode: DecodeOptions = { channels: 3 };
    if (options.maxPixels !== undefined) decode.maxPixels = options.maxPixels;
    const image = toRgb(await decodeImage(input, decode));
    const modelMask = await this.predictMask(image, options.fit ?? 'stretch');
    let mask = resizeMask(modelMask, image.width, image.height);
    if (options.refine !== false) mask = refineMask(mask, image, options.refine ?? {});
    return { image, mask, modelMask };
  }

  /** The model's mask for an RGB image, at model resolution with any letterbox removed. */
  async predictMask(image: ImageArray, fit: FitMode = 'stretch'): Promise<Mask> {
    const { pixels, content } = await prepareModelInput(toRgb(image), this.inputWidth, this.inputHeight, fit);
    const x = tf.tensor4d(pixels, [1, this.inputHeight, this.inputWidth, 3]);
    const y = this.graph.predict(x as unknown as tfc.Tensor);
    const data = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i] as number));
    return cropMask({ data, width: this.inputWidth, height: this.inputHeight }, content);
  }

  private disposed = false;

  /** Frees the model's weights; later calls to `segment` throw (once freed, the graph cannot run). */
  dispose(): void {
    this.disposed = true;
    this.graph.dispose();
  }
}
