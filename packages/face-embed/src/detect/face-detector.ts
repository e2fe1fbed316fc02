import { assertKnownOptions, DEFAULT_MAX_PIXELS, type ImageInput, rangeError, ready, tf } from '@aiffel/runtime';
import { decodeRgb, letterboxTopLeft } from '../image/input.js';
import { type RgbImage, squareTransform, warpInto } from '../image/warp.js';
import { LANDMARK_INPUT_SIZE, LandmarkNet } from '../models/landmark-net.js';
import { SSD_INPUT_SIZE, SsdMobilenet } from '../models/ssd-mobilenet.js';
import { TinyFaceDetectorNet } from '../models/tiny-face-detector.js';
import { defaultModelDir } from '../models/weights.js';
import { countOf, type DetectedFace, type LargestFace, largestFirst, type Point, rollOf } from './face.js';
import { nonMaxSuppression } from './nms.js';

export interface FaceDetectorOptions {
  /** `'ssd'` (default): SSD MobileNet v1, the accurate one. `'tiny'`: the tiny face detector, several times faster, misses more small and turned faces. */
  detector?: 'ssd' | 'tiny';
  /** Input side of the tiny detector, a multiple of 32. Default 416 (the SSD always uses 512). */
  inputSize?: number;
  /** Folder with the face-api.js weight manifests. Default: the `model/` folder of the installed @vladmandic/face-api package. */
  modelDir?: string;
  /** Minimum detector score, in (0, 1). Default 0.5 (face-api.js's default). */
  minConfidence?: number;
  /** At most this many faces per image. Default 100. */
  maxResults?: number;
  /** Overlap above which the weaker of two boxes is suppressed, in (0, 1]. Default 0.5 (0.4 for `'tiny'`, as face-api.js). */
  iouThreshold?: number;
  /** Refuse images with more pixels than this. Default 50,000,000 (runtime's `DEFAULT_MAX_PIXELS`). */
  maxPixels?: number;
}

/** Every FaceDetectorOptions key (the embedder and the pool accept these too). */
export const DETECTOR_OPTION_KEYS = ['detector', 'inputSize', 'modelDir', 'minConfidence', 'maxResults', 'iouThreshold', 'maxPixels'] as const;

function unitInterval(name: string, v: unknown, closedTop: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1 || (!closedTop && v === 1)) {
    throw rangeError(name, closedTop ? 'a number in (0, 1]' : 'a number in (0, 1)', v);
  }
  return v;
}

/**
 * Finds faces and their 68 landmarks: SSD MobileNet v1 on a 512 x 512 letterbox (or the tiny
 * detector on a smaller one), then the
 * landmark net on each face's square crop (all faces of an image in one batch).
 */
export class FaceDetector {
  private constructor(
    private readonly net: SsdMobilenet | TinyFaceDetectorNet,
    private readonly landmarkNet: LandmarkNet,
    readonly options: Required<Omit<FaceDetectorOptions, 'modelDir'>>,
  ) {}

  /** Loads the detector and landmark weights (from disk, never from the network). */
  static async load(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    assertKnownOptions('FaceDetector options', options, DETECTOR_OPTION_KEYS);
    const detector = options.detector ?? 'ssd';
    if (detector !== 'ssd' && detector !== 'tiny') throw rangeError('options.detector', "'ssd' or 'tiny'", detector);
    const inputSize = options.inputSize ?? (detector === 'tiny' ? 416 : SSD_INPUT_SIZE);
    if (detector === 'tiny' && (!Number.isInteger(inputSize) || inputSize < 64 || inputSize > 1024 || inputSize % 32 !== 0))
      throw rangeError('options.inputSize', 'a multiple of 32 in 64..1024', inputSize);
    if (detector === 'ssd' && inputSize !== SSD_INPUT_SIZE)
      throw rangeError('options.inputSize', `${SSD_INPUT_SIZE} for the SSD detector (only 'tiny' takes other sizes)`, inputSize);
    const resolved = {
      detector,
      inputSize,
      minConfidence: unitInterval('options.minConfidence', options.minConfidence ?? 0.5, false),
      maxResults: options.maxResults ?? 100,
      iouThreshold: unitInterval('options.iouThreshold', options.iouThreshold ?? (detector === 'tiny' ? 0.4 : 0.5), true),
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    };
    if (!Number.isInteger(resolved.maxResults) || resolved.maxResults < 1) throw rangeError('options.maxResults', 'a positive integer', resolved.maxResults);
    if (!Number.isInteger(resolved.maxPixels) || resolved.maxPixels < 1) throw rangeError('options.maxPixels', 'a positive integer', resolved.maxPixels);
    await ready();
    const dir = options.modelDir ?? defaultModelDir();
    const [net, landmarkNet] = await Promise.all([detector === 'tiny' ? TinyFaceDetectorNet.load(dir) : SsdMobilenet.load(dir), LandmarkNet.load(dir)]);
    return new FaceDetector(net, landmarkNet, resolved);
  }

  /** Every face in the image, in detector score order. */
  async detectAll(image: ImageInput): Promise<DetectedFace[]> {
    return this.detectDecoded(await decodeRgb(image, this.options.maxPixels));
  }

  /** The largest face with an explicit status: `none`, `one` or `several`. */
  async detectLargest(image: ImageInput): Promise<LargestFace> {
    const faces = largestFirst(await this.detectAll(image));
    return { status: countOf(faces.length), face: faces[0], faces };
  }

  /** @internal Detection on an already decoded image (the embedder decodes once). */
  async detectDecoded(img: RgbImage): Promise<DetectedFace[]> {
    if (this.disposed) throw new Error('FaceDetector: this detector was disposed; load a new one with FaceDetector.load()');
    const size = this.options.inputSize;
    const { pixels, scale } = await letterboxTopLeft(img, size);
    const input = tf.tensor4d(Float32Array.from(pixels), [1, size, size, 3]);
    const out = this.net instanceof SsdMobilenet ? (await this.net.run(input))[0] : await this.net.run(input);
    input.dispose();
    if (out === undefined) return [];
    const { maxResults, iouThreshold, minConfidence } = this.options;
    const kept = nonMaxSuppression(out.boxes, out.scores, maxResults, iouThreshold, minConfidence);
    // Box coordinates are relative to the input square, which spans `side` source pixels.
    const side = size / scale;
    const boxes = kept
      .map((i) => {
        const y0 = Math.max(0, (out.boxes[i * 4] as number) * side);
        const x0 = Math.max(0, (out.boxes[i * 4 + 1] as number) * side);
        const y1 = Math.min(img.height, (out.boxes[i * 4 + 2] as number) * side);
        const x1 = Math.min(img.width, (out.boxes[i * 4 + 3] as number) * side);
        return { box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, score: out.scores[i] as number };
      })
      .filter((f) => f.box.width >= 1 && f.box.height >= 1);
    if (boxes.length === 0) return [];
    const landmarks = await this.landmarksFor(
      img,
      boxes.map((b) => b.box),
    );
    return boxes.map((b, i) => {
      const lm = landmarks[i] as Point[];
      return { ...b, landmarks: lm, roll: rollOf(lm) };
    });
  }

  /**
   * Landmarks for given boxes: each box is centred in a square of its longer side (black
   * outside the box, as the net was trained) and scaled to 112 x 112.
   */
  async landmarksFor(img: RgbImage, boxes: { x: number; y: number; width: number; height: number }[]): Promise<Point[][]> {
    const n = boxes.length;
    const size = LANDMARK_INPUT_SIZE;
    const batch = new Float32Array(n * size * size * 3);
    const squares = boxes.map((b) => {
      const side = Math.max(b.width, b.height);
      return { cx: b.x + b.width / 2, cy: b.y + b.height / 2, side };
    });
    squares.forEach((s, i) => {
      const b = boxes[i] as { x: number; y: number; width: number; height: number };
      warpInto(img, squareTransform(s.cx, s.cy, s.side, 0, size), size, batch, i * size * size * 3, {
        x0: Math.floor(b.x),
        y0: Math.floor(b.y),
        x1: Math.ceil(b.x + b.width),
        y1: Math.ceil(b.y + b.height),
      });
    });
    const t = tf.tensor4d(batch, [n, size, size, 3]);
    const raw = await this.landmarkNet.run(t);
    t.dispose();
    return squares.map((s, i) => {
      const pts: Point[] = [];
      for (let k = 0; k < 68; k++) {
        pts.push({
          x: s.cx - s.side / 2 + (raw[i * 136 + 2 * k] as number) * s.side,
          y: s.cy - s.side / 2 + (raw[i * 136 + 2 * k + 1] as number) * s.side,
        });
      }
      return pts;
    });
  }

  private disposed = false;

  /** Frees the network weights. The detector cannot be used afterwards (its calls then throw saying so). */
  dispose(): void {
    this.disposed = true;
    this.net.dispose();
    this.landmarkNet.dispose();
  }
}
