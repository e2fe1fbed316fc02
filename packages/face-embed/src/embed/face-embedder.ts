import { assertKnownOptions, type ImageInput, Rng, rangeError, ready, tf } from '@aiffel/runtime';
import { countOf, type DetectedFace, type FaceCount, largestFirst } from '../detect/face.js';
import { DETECTOR_OPTION_KEYS, FaceDetector, type FaceDetectorOptions } from '../detect/face-detector.js';
import { decodeRgb } from '../image/input.js';
import { type ChipJob, type RgbImage, warpChips } from '../image/warp.js';
import { AGE_GENDER_INPUT_SIZE, type AgeGender, AgeGenderNet } from '../models/age-gender-net.js';
import { DESCRIPTOR_SIZE, RECOGNITION_INPUT_SIZE, RecognitionNet } from '../models/recognition-net.js';
import { defaultModelDir } from '../models/weights.js';
import { type AugmentOptions, augmentTransform, resolveAugment } from './augment.js';
import { chipGeometry, chipTransform } from './chip.js';

export interface FaceEmbedderOptions extends FaceDetectorOptions {
  /**
   * Average the descriptor over this many randomly jittered copies of the chip (dlib's
   * `num_jitters`: slower, slightly more stable). Default 1 (the chip itself, no jitter).
   */
  numJitters?: number;
  /** Seed of the jitter. Default 0. */
  seed?: number;
  /** `'roll'` (default) turns each chip so the eyes are level; `'upright'` crops like face-api.js. */
  align?: 'roll' | 'upright';
  /** Also estimate age and gender (a second small network). Default false. */
  ageGender?: boolean;
  /** Faces per forward pass of the recognition net. Default 16. */
  batchSize?: number;
}

/** A detected face with its 128-d descriptor (and age / gender when asked for). */
export interface EmbeddedFace extends DetectedFace {
  descriptor: Float32Array;
  age?: number;
  gender?: 'male' | 'female';
  genderProbability?: number;
  /**
   * With `ageGender`: the age / gender net's pooled features, a general description of the face
   * (not only identity) for training heads such as a face score.
   */
  appearance?: Float32Array;
}

/** Which features `embedAugmented` returns: the 128-d descriptor, or the age / gender net's pooled features. */
export type FaceBackbone = 'descriptor' | 'appearance';

/** Every FaceEmbedderOptions key. */
export const EMBEDDER_OPTION_KEYS = [...DETECTOR_OPTION_KEYS, 'numJitters', 'seed', 'align', 'ageGender', 'batchSize'] as const;

/**
 * Face descriptors: detection and landmarks (FaceDetector), an eye-level 150 x 150 chip per
 * face, and dlib's ResNet giving 128 numbers whose L2 distance is below ~0.6 for the same person.
 */
export class FaceEmbedder {
  private constructor(
    readonly detector: FaceDetector,
    private readonly net: RecognitionNet,
    private readonly ageGenderNet: AgeGenderNet | undefined,
    private readonly settings: { numJitters: number; seed: number; align: 'roll' | 'upright'; batchSize: number },
  ) {}

  static async load(options: FaceEmbedderOptions = {}): Promise<FaceEmbedder> {
    assertKnownOptions('FaceEmbedder options', options, EMBEDDER_OPTION_KEYS);
    const { numJitters = 1, seed = 0, align = 'roll', ageGender = false, batchSize = 16, modelDir, ...detectorOptions } = options;
    if (!Number.isInteger(numJitters) || numJitters < 1 || numJitters > 100) throw rangeError('options.numJitters', 'an integer in 1..100', numJitters);
    if (!Number.isInteger(seed)) throw rangeError('options.seed', 'an integer', seed);
    if (align !== 'roll' && align !== 'upright') throw rangeError('options.align', "'roll' or 'upright'", align);
    if (typeof ageGender !== 'boolean') throw rangeError('options.ageGender', 'a boolean', ageGender);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw rangeError('options.batchSize', 'a positive integer', batchSize);
    await ready();
    const dir = modelDir ?? defaultModelDir();
    const [detector, net, agNet] = await Promise.all([
      FaceDetector.load({ ...detectorOptions, modelDir: dir }),
      RecognitionNet.load(dir),
      ageGender ? AgeGenderNet.load(dir) : Promise.resolve(undefined),
    ]);
    return new FaceEmbedder(detector, net, agNet, { numJitters, seed, align, batchSize });
  }

  /** Detects every face and describes each one (all faces of the image share forward passes). */
  async embedAll(image: ImageInput): Promise<EmbeddedFace[]> {
    this.assertAlive('embedAll');
    const img = await decodeRgb(image, this.detector.options.maxPixels);
    const faces = await this.detector.detectDecoded(img);
    return this.describeDecoded(img, faces);
  }

  /**
   * The largest face, described, with an explicit status (`none` / `one` / `several`). Only
   * `face` carries a descriptor; `faces` lists every detection, largest first.
   */
  async embedLargest(image: ImageInput): Promise<{ status: FaceCount; face?: EmbeddedFace; faces: DetectedFace[] }> {
    this.assertAlive('embedLargest');
    const img = await decodeRgb(image, this.detector.options.maxPixels);
    const faces = largestFirst(await this.detector.detectDecoded(img));
    const described = await this.describeDecoded(img, faces.slice(0, 1));
    return { status: countOf(faces.length), face: described[0], faces: [...described, ...faces.slice(1)] };
  }

  /** Descriptors for faces found earlier (by `detector.detectAll` on the same image). */
  async describe(image: ImageInput, faces: DetectedFace[]): Promise<EmbeddedFace[]> {
    this.assertAlive('describe');
    if (!Array.isArray(faces)) throw rangeError('faces', 'an array of detected faces', faces);
    faces.forEach((f, i) => {
      if (!Array.isArray(f?.landmarks) || f.landmarks.length !== 68) throw rangeError(`faces[${i}].landmarks`, 'an array of 68 points', f?.landmarks);
    });
    const img = await decodeRgb(image, this.detector.options.maxPixels);
    // NaN landmarks give a NaN chip transform and a NaN descriptor; points far outside the image
    // give a chip of background. Both would be searched as if they were a face. A landmark may
    // sit a little outside the frame (a face cut by the border), so allow one image size around it.
    for (const [i, f] of faces.entries())
      for (const [k, p] of f.landmarks.entries()) {
        const ok =
          typeof p?.x === 'number' && typeof p?.y === 'number' && p.x >= -img.width && p.x <= 2 * img.width && p.y >= -img.height && p.y <= 2 * img.height;
        if (!ok)
          throw rangeError(
            `faces[${i}].landmarks[${k}]`,
            `a point { x, y } within one image size of the ${img.width}x${img.height} image`,
            p === null || typeof p !== 'object' ? p : `(${p.x}, ${p.y})`,
          );
      }
    return this.describeDecoded(img, faces);
  }

  /**
   * Descriptors of the largest face and of `copies` randomly augmented versions of it (rotation,
   * mirror, brightness, shear), for training classifiers from few photos. `descriptors[0]` is the
   * plain face.
   */
  async embedAugmented(
    image: ImageInput,
    augment: AugmentOptions = {},
    options: { backbone?: FaceBackbone } = {},
  ): Promise<{ status: FaceCount; face?: DetectedFace; descriptors: Float32Array[] }> {
    this.assertAlive('embedAugmented');
    assertKnownOptions('augment options', augment, ['copies', 'rotation', 'flip', 'brightness', 'shear', 'seed']);
    assertKnownOptions('embedAugmented options', options, ['backbone']);
    const backbone = options.backbone ?? 'descriptor';
    if (backbone !== 'descriptor' && backbone !== 'appearance') throw rangeError('options.backbone', "'descriptor' or 'appearance'", backbone);
    if (backbone === 'appearance' && this.ageGenderNet === undefined)
      throw new Error("options.backbone: 'appearance' needs an embedder loaded with { ageGender: true }");
    const o = resolveAugment(augment);
    const img = await decodeRgb(image, this.detector.options.maxPixels);
    const faces = largestFirst(await this.detector.detectDecoded(img));
    const face = faces[0];
    if (face === undefined) return { status: 'none', descriptors: [] };
    // The age / gender net always sees eye-level chips (as in describeDecoded).
    const g = chipGeometry(face.landmarks, backbone === 'appearance' ? 'roll' : this.settings.align);
    const size = backbone === 'appearance' ? AGE_GENDER_INPUT_SIZE : RECOGNITION_INPUT_SIZE;
    const rng = new Rng(o.seed);
    const jobs = [{ t: chipTransform(g, size), gain: 1 }];
    for (let i = 0; i < o.copies; i++) jobs.push(augmentTransform(g, size, o, rng));
    const descriptors = backbone === 'appearance' ? await (this.ageGenderNet as AgeGenderNet).appearanceOf(img, jobs) : await this.runChips(img, jobs);
    return { status: countOf(faces.length), face, descriptors };
  }

  /** Runs the recognition net over chips given by their transforms, in batches. */
  private async runChips(img: RgbImage, jobs: ChipJob[]): Promise<Float32Array[]> {
    const size = RECOGNITION_INPUT_SIZE;
    const out: Float32Array[] = [];
    const { batchSize } = this.settings;
    for (let start = 0; start < jobs.length; start += batchSize) {
      const part = jobs.slice(start, start + batchSize);
      const pixels = warpChips(img, part, size);
      const t = tf.tensor4d(pixels, [part.length, size, size, 3]);
      const res = await this.net.run(t);
      t.dispose();
      for (let k = 0; k < part.length; k++) out.push(res.slice(k * DESCRIPTOR_SIZE, (k + 1) * DESCRIPTOR_SIZE));
    }
    return out;
  }

  private async describeDecoded(img: RgbImage, faces: DetectedFace[]): Promise<EmbeddedFace[]> {
    if (faces.length === 0) return [];
    const { numJitters, seed, align } = this.settings;
    const size = RECOGNITION_INPUT_SIZE;
    const rng = new Rng(seed);
    // One chip per (face, jitter); the first copy of each face is the plain chip.
    const jobs = faces.flatMap((f) => {
      const g = chipGeometry(f.landmarks, align);
      return Array.from({ length: numJitters }, (_, j) => ({ t: chipTransform(g, size, j === 0 ? undefined : rng), gain: 1 }));
    });
    const all = await this.runChips(img, jobs);
    const sums = faces.map((_, fi) => {
      const sum = new Float32Array(DESCRIPTOR_SIZE);
      for (let j = 0; j < numJitters; j++) {
        const v = all[fi * numJitters + j] as Float32Array;
        for (let d = 0; d < DESCRIPTOR_SIZE; d++) sum[d] = (sum[d] as number) + (v[d] as number) / numJitters;
      }
      return sum;
    });
    const attrs: ((AgeGender & { appearance: Float32Array }) | undefined)[] = this.ageGenderNet
      ? await this.ageGenderNet.predict(
          img,
          faces.map((f) => chipGeometry(f.landmarks, 'roll')),
        )
      : faces.map(() => undefined);
    return faces.map((f, i) => {
      const a = attrs[i];
      const e: EmbeddedFace = { ...f, descriptor: sums[i] as Float32Array };
      if (a !== undefined) Object.assign(e, a);
      return e;
    });
  }

  private disposed = false;

  /** Freed weights cannot run: say so instead of a TypeError from inside tfjs. */
  private assertAlive(method: string): void {
    if (this.disposed) throw new Error(`FaceEmbedder.${method}: this embedder was disposed; load a new one with FaceEmbedder.load()`);
  }

  /** Frees every network's weights; later calls throw. */
  dispose(): void {
    this.disposed = true;
    this.detector.dispose();
    this.net.dispose();
    this.ageGenderNet?.dispose();
  }
}
