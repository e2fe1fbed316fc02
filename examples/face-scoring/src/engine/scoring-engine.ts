import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Calibration, defaultCalibration, FaceGallery, faceThumbnail, listFaceImages } from '@aiffel/face-embed';
import { packageFile, WorkerPool } from '@aiffel/runtime';
import sharp from 'sharp';
import { samplePhotos } from '../model/demo-task.js';
import type { GroupResult, ScoreModel, ScoreResult } from '../model/score-model.js';
import type { Box, FaceResult, RgbPixels } from './types.js';

export interface ScoredFace {
  box: Box;
  landmarks: { x: number; y: number }[];
  detectionScore: number;
  age: number;
  gender: { label: 'male' | 'female'; probability: number };
  group: GroupResult;
  score: ScoreResult;
}

export interface Lookalike {
  rank: number;
  name: string;
  distance: number;
  probability: number | null;
  thumbnail: string;
}

export interface ScoreResponse {
  status: 'none' | 'one' | 'several';
  message: string;
  image: { width: number; height: number };
  /** Largest first; `used` is the face the result is about (the largest). */
  faces: ScoredFace[];
  used: number | null;
  lookalikes: Lookalike[];
  timings_ms: { analyse: number };
}

const THUMB = 72;

async function dataUrl(rgb: Uint8Array, size: number): Promise<string> {
  const jpeg = await sharp(rgb, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

function taskFile(): string {
  const file = packageFile(import.meta.url, 'score-task.js');
  if (file === undefined) throw new Error('examples/face-scoring: dist/score-task.js is missing; build the example (npm run build)');
  return file;
}

/**
 * Everything behind the API: a WorkerPool (one worker per core, each with its own networks on
 * its own wasm backend) runs detection, descriptors, age / gender and portrait mode; this thread
 * only routes requests and runs the tiny heads and the gallery search (microseconds), so the
 * event loop never waits on a network.
 */
export class ScoringEngine {
  private constructor(
    private readonly pool: WorkerPool,
    private readonly task: string,
    readonly model: ScoreModel,
    readonly gallery: FaceGallery,
    private readonly thumbnails: string[],
    readonly gallerySource: string,
  ) {}

  get workers(): number {
    return this.pool.size;
  }

  static async create(options: { model: ScoreModel; gallery?: string; workers?: number; onProgress?: (msg: string) => void }): Promise<ScoringEngine> {
    const pool = new WorkerPool({ size: options.workers ?? availableParallelism() });
    try {
      const task = taskFile();
      await pool.ready();
      options.onProgress?.(`loading the face networks on ${pool.size} worker thread(s)`);
      await Promise.all(Array.from({ length: pool.size }, (_, w) => pool.request(w, { kind: 'call', module: task, exportName: 'warm', arg: null, index: 0 })));
      const { gallery, thumbnails, source } = await buildGallery(pool, task, options.gallery, defaultCalibration(), options.onProgress);
      return new ScoringEngine(pool, task, options.model, gallery, thumbnails, source);
    } catch (e) {
      await pool.close();
      throw e;
    }
  }

  /** Detects, describes and scores every face of a decoded photo; the result is about the largest. */
  async score(pixels: RgbPixels): Promise<ScoreResponse> {
    const t0 = performance.now();
    const image = { width: pixels.width, height: pixels.height };
    const found = await this.pool.run<FaceResult[]>({ pixels }, { module: this.task, exportName: 'embed' }, [pixels.data.buffer as ArrayBuffer]);
    const faces = [...found].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    const scored = faces.map((f) => {
      const { group, score } = this.model.predict(f);
      return {
        box: f.box,
        landmarks: f.landmarks,
        detectionScore: f.score,
        age: f.age,
        gender: { label: f.gender, probability: f.genderProbability },
        group,
        score,
      };
    });
    const status = faces.length === 0 ? 'none' : faces.length === 1 ? 'one' : 'several';
    const message =
      status === 'none'
        ? 'no face found'
        : status === 'one'
          ? 'one face found'
          : `${faces.length} faces found; the largest is scored (click another box to see its result)`;
    const largest = faces[0];
    const lookalikes =
      largest === undefined || this.gallery.size === 0
        ? []
        : this.gallery.search(largest.descriptor, { k: Math.min(5, this.gallery.size) }).map((h) => ({
            rank: h.rank,
            name: h.name,
            distance: h.distance,
            probability: h.probability ?? null,
            thumbnail: this.thumbnails[h.id] ?? '',
          }));
    return { status, message, image, faces: scored, used: largest === undefined ? null : 0, lookalikes, timings_ms: { analyse: performance.now() - t0 } };
  }

  /** The photo with its background blurred, as a JPEG. */
  async portrait(pixels: RgbPixels, strength: number): Promise<Uint8Array> {
    return this.pool.run<Uint8Array>({ pixels, strength }, { module: this.task, exportName: 'blur' }, [pixels.data.buffer as ArrayBuffer]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * The lookalike gallery: every face of the face-api.js sample photos by default, or the photos of
 * `dir` (`<name>.jpg` or `<name>/*.jpg`, the largest face of each), embedded on the workers, with
 * a thumbnail per entry kept in memory.
 */
async function buildGallery(
  pool: WorkerPool,
  task: string,
  dir: string | undefined,
  calibration: Calibration,
  onProgress?: (msg: string) => void,
): Promise<{ gallery: FaceGallery; thumbnails: string[]; source: string }> {
  const gallery = new FaceGallery({ calibration });
  const thumbnails: string[] = [];
  const files =
    dir === undefined
      ? samplePhotos().map((file, i) => ({ file, name: `sample${i + 1}` }))
      : await listFaceImages(dir).catch((e: Error) => {
          throw new Error(`--gallery: cannot list ${dir} (${e.message})`);
        });
  if (dir !== undefined && files.length === 0) throw new Error(`--gallery: ${dir} has no photos (<name>.jpg or <name>/*.jpg)`);
  onProgress?.(`embedding ${files.length} gallery photo(s)`);
  const embedded = await Promise.all(
    files.map(async ({ file, name }) => {
      const { data, info } = await sharp(await readFile(file), { limitInputPixels: 64e6 })
        .rotate()
        .resize({ width: 2560, height: 2560, fit: 'inside', withoutEnlargement: true })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const pixels = { data: new Uint8Array(data), width: info.width, height: info.height };
      const copy = { data: pixels.data.slice(), shape: [info.height, info.width, 3] as [number, number, number] };
      const faces = await pool.run<FaceResult[]>({ pixels }, { module: task, exportName: 'embed' }, [pixels.data.buffer]);
      // The default gallery keeps every face of the group photos; a user's folder the largest of each photo.
      const kept = dir === undefined ? faces : [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height).slice(0, 1);
      return Promise.all(
        kept.map(async (f, k) => ({
          name: dir === undefined ? `${name} #${k}` : name,
          descriptor: f.descriptor,
          thumbnail: await dataUrl(await faceThumbnail(copy, f.box, THUMB), THUMB),
        })),
      );
    }),
  );
  // Added in file order, so ids do not depend on which worker answered first.
  for (const e of embedded.flat()) thumbnails[gallery.add(e.name, e.descriptor)] = e.thumbnail;
  return { gallery, thumbnails, source: dir ?? 'the faces of the face-api.js sample photos' };
}
