import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage } from '@aiffel/runtime';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distance, FaceDetector, FaceEmbedder } from '../src/index.js';
import { SAMPLE_FACE_COUNTS, samplePhoto, sharedData } from './helpers.js';

let embedder: FaceEmbedder;

beforeAll(async () => {
  embedder = await FaceEmbedder.load({ ageGender: true });
});
afterAll(() => embedder.dispose());

describe('FaceDetector', () => {
  it('finds the known number of faces in each sample photo, each with 68 landmarks inside its box', async () => {
    for (const [i, count] of Object.entries(SAMPLE_FACE_COUNTS)) {
      const faces = await embedder.detector.detectAll(samplePhoto(Number(i)));
      expect(faces.length, `sample${i}.jpg`).toBe(count);
      for (const f of faces) {
        expect(f.score).toBeGreaterThan(0.5);
        expect(f.landmarks).toHaveLength(68);
        const inside = f.landmarks.filter(
          (p) =>
            p.x >= f.box.x - 0.15 * f.box.width &&
            p.x <= f.box.x + 1.15 * f.box.width &&
            p.y >= f.box.y - 0.15 * f.box.height &&
            p.y <= f.box.y + 1.15 * f.box.height,
        );
        expect(inside.length).toBeGreaterThanOrEqual(64);
      }
    }
  });

  it('reports none / one / several explicitly', async () => {
    const blank = await encodeImage({ data: new Uint8Array(200 * 200 * 3).fill(128), shape: [200, 200, 3] }, { format: 'png' });
    expect(await embedder.detector.detectLargest(blank)).toEqual({ status: 'none', face: undefined, faces: [] });
    const group = await embedder.detector.detectLargest(samplePhoto(1));
    expect(group.status).toBe('several');
    const areas = group.faces.map((f) => f.box.width * f.box.height);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    // A crop around the largest face holds one face.
    const b = group.face?.box as { x: number; y: number; width: number; height: number };
    const crop = await sharp(samplePhoto(1))
      .rotate()
      .extract({ left: Math.round(b.x - b.width / 2), top: Math.round(b.y - b.height / 2), width: Math.round(b.width * 2), height: Math.round(b.height * 2) })
      .png()
      .toBuffer();
    expect((await embedder.detector.detectLargest(crop)).status).toBe('one');
  });

  it('rejects corrupt, non-image, missing and oversized input with a clear error', async () => {
    const jpeg = readFileSync(samplePhoto(1));
    await expect(embedder.detector.detectAll(jpeg.subarray(0, 200))).rejects.toThrow();
    const textFile = join(tmpdir(), 'not-an-image.jpg');
    await writeFile(textFile, 'hello, I am text');
    await expect(embedder.detector.detectAll(textFile)).rejects.toThrow(/unsupported image format|not an image|Input/i);
    await expect(embedder.detector.detectAll('/no/such/file.jpg')).rejects.toThrow(/no\/such\/file/);
    await expect(embedder.detector.detectAll(null as unknown as string)).rejects.toThrow(/image must be/);
    const small = await FaceDetector.load({ maxPixels: 1000 });
    await expect(small.detectAll(samplePhoto(1))).rejects.toThrow(/pixel/i);
    small.dispose();
    await expect(FaceDetector.load({ minConfidence: 1 })).rejects.toThrow(/options.minConfidence must be a number in \(0, 1\)/);
    await expect(FaceDetector.load({ modelDir: tmpdir() })).rejects.toThrow(/modelDir: cannot read/);
  });
});

describe('FaceEmbedder', () => {
  it('keeps one face close to its mirrored and brightened copies and far from other people', async () => {
    const photo = samplePhoto(1);
    const faces = await embedder.embedAll(photo);
    expect(faces).toHaveLength(3);
    const { data, info } = await sharp(photo).rotate().raw().toBuffer({ resolveWithObject: true });
    const flipped = await sharp(photo).rotate().flop().png().toBuffer();
    const brighter = Uint8Array.from(data, (v) => Math.min(255, v * 1.25));
    const flippedFaces = await embedder.embedAll(flipped);
    const brightFaces = await embedder.embedAll({ data: brighter, shape: [info.height, info.width, 3] });
    faces.forEach((f, i) => {
      const nearestFlip = Math.min(...flippedFaces.map((g) => distance(f.descriptor, g.descriptor, 'l2')));
      const nearestBright = Math.min(...brightFaces.map((g) => distance(f.descriptor, g.descriptor, 'l2')));
      const nearestOther = Math.min(...faces.filter((_, j) => j !== i).map((g) => distance(f.descriptor, g.descriptor, 'l2')));
      // Faces are not symmetric: the mirror image moves the descriptor more than brightness does,
      // but both stay closer than any other person in the photo.
      expect(nearestFlip).toBeLessThan(0.45);
      expect(nearestBright).toBeLessThan(0.2);
      expect(nearestFlip).toBeLessThan(nearestOther);
      expect(nearestOther).toBeGreaterThan(0.45);
    });
  });

  it('describe() refuses NaN landmarks and landmarks far outside the image', async () => {
    const photo = samplePhoto(1);
    const faces = await embedder.detector.detectAll(photo);
    const ok = await embedder.describe(photo, faces.slice(0, 1));
    expect(ok[0]?.descriptor.every(Number.isFinite)).toBe(true);
    const withPoint = (p: { x: number; y: number }) => [{ ...faces[0], landmarks: faces[0]?.landmarks.map((q, k) => (k === 30 ? p : q)) }] as typeof faces;
    await expect(embedder.describe(photo, withPoint({ x: Number.NaN, y: 10 }))).rejects.toThrow(
      /faces\[0\]\.landmarks\[30\] must be a point \{ x, y \} within one image size/,
    );
    await expect(embedder.describe(photo, withPoint({ x: 1e9, y: -1e9 }))).rejects.toThrow(/landmarks\[30\].*got "\(1000000000, -1000000000\)"/);
  });

  it('estimates age and gender when asked, and jitters reproducibly for a seed', async () => {
    const { face } = await embedder.embedLargest(samplePhoto(6));
    expect(face?.gender).toBe('female');
    expect(face?.age).toBeGreaterThan(15);
    expect(face?.age).toBeLessThan(45);
    const jit = await FaceEmbedder.load({ numJitters: 3, seed: 5 });
    const a = (await jit.embedLargest(samplePhoto(6))).face?.descriptor as Float32Array;
    const b = (await jit.embedLargest(samplePhoto(6))).face?.descriptor as Float32Array;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(distance(a, face?.descriptor as Float32Array, 'l2')).toBeLessThan(0.2);
    const aug = await jit.embedAugmented(samplePhoto(6), { copies: 3, seed: 1 });
    expect(aug.descriptors).toHaveLength(4);
    for (const d of aug.descriptors.slice(1)) expect(distance(d, aug.descriptors[0] as Float32Array, 'l2')).toBeLessThan(0.45);
    jit.dispose();
    await expect(FaceEmbedder.load({ numJitters: 0 })).rejects.toThrow(/options.numJitters/);
    await expect(embedder.embedAugmented(samplePhoto(6), { rotation: 90 })).rejects.toThrow(/augment.rotation/);
  });

  it('gives the age / gender net features (appearance) with every face, and augmented copies of them', async () => {
    const { face } = await embedder.embedLargest(samplePhoto(6));
    const appearance = face?.appearance as Float32Array;
    expect(appearance.length).toBeGreaterThanOrEqual(64);
    expect(appearance.every(Number.isFinite)).toBe(true);
    // An augmented copy stays nearer its own face than any face of another photo.
    const aug = await embedder.embedAugmented(samplePhoto(6), { copies: 2, seed: 3 }, { backbone: 'appearance' });
    expect(aug.descriptors).toHaveLength(3);
    const plain = aug.descriptors[0] as Float32Array;
    expect(Array.from(plain)).toEqual(Array.from(appearance));
    expect(distance(aug.descriptors[1] as Float32Array, plain, 'l2')).toBeGreaterThan(0);
    const other = (await embedder.embedAll(samplePhoto(1))).map((f) => f.appearance as Float32Array);
    const nearestOther = Math.min(...other.map((o) => distance(o, plain, 'l2')));
    expect(distance(aug.descriptors[1] as Float32Array, plain, 'l2')).toBeLessThan(nearestOther);
    const plainEmbedder = await FaceEmbedder.load();
    await expect(plainEmbedder.embedAugmented(samplePhoto(6), {}, { backbone: 'appearance' })).rejects.toThrow(
      /needs an embedder loaded with \{ ageGender: true \}/,
    );
    await expect(embedder.embedAugmented(samplePhoto(6), {}, { backbone: 'pixels' as 'appearance' })).rejects.toThrow(/options.backbone/);
    plainEmbedder.dispose();
  });

  it.skipIf(!existsSync(join(sharedData, 'faces')))(
    'identifies people leave-one-out on ../shared/data/faces (top-1 >= 0.9, verification >= 0.95)',
    async () => {
      const root = join(sharedData, 'faces');
      const rows = readFileSync(join(root, 'manifest.csv'), 'utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(','));
      const items: { id: string; d: Float32Array }[] = [];
      for (const [file, identity, , faces] of rows) {
        if (faces !== '1' || !file || !identity) continue;
        const r = await embedder.embedLargest(join(root, file));
        expect(r.face, file).toBeDefined();
        items.push({ id: identity, d: (r.face as { descriptor: Float32Array }).descriptor });
      }
      let hits = 0;
      let queries = 0;
      let correctPairs = 0;
      let pairs = 0;
      for (const a of items) {
        const others = items.filter((b) => b !== a);
        if (!others.some((b) => b.id === a.id)) continue;
        queries++;
        const best = others.reduce((m, b) => (distance(a.d, b.d, 'l2') < distance(a.d, m.d, 'l2') ? b : m));
        if (best.id === a.id) hits++;
      }
      for (let i = 0; i < items.length; i++)
        for (let j = i + 1; j < items.length; j++) {
          pairs++;
          if (distance((items[i] as { d: Float32Array }).d, (items[j] as { d: Float32Array }).d, 'l2') <= 0.6 === (items[i]?.id === items[j]?.id))
            correctPairs++;
        }
      expect(hits / queries).toBeGreaterThanOrEqual(0.9);
      expect(correctPairs / pairs).toBeGreaterThanOrEqual(0.95);
    },
  );
});

describe('after dispose()', () => {
  it('every call says the embedder was disposed (it was a TypeError from inside tfjs)', async () => {
    const e = await FaceEmbedder.load();
    e.dispose();
    await expect(e.embedAll(samplePhoto(1))).rejects.toThrow(/FaceEmbedder.embedAll: this embedder was disposed; load a new one/);
    await expect(e.embedLargest(samplePhoto(1))).rejects.toThrow(/FaceEmbedder.embedLargest: this embedder was disposed/);
    await expect(e.detector.detectAll(samplePhoto(1))).rejects.toThrow(/FaceDetector: this detector was disposed/);
  });
});

describe('tiny detector option', () => {
  it('finds the three faces of sample1 where the SSD finds them', async () => {
    const tiny = await FaceDetector.load({ detector: 'tiny' });
    try {
      const a = await tiny.detectAll(samplePhoto(1));
      const b = await embedder.detector.detectAll(samplePhoto(1));
      expect(a).toHaveLength(3);
      const iou = (p: { x: number; y: number; width: number; height: number }, q: typeof p) => {
        const w = Math.max(0, Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x));
        const h = Math.max(0, Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y));
        return (w * h) / (p.width * p.height + q.width * q.height - w * h);
      };
      // The tiny detector's boxes are squarer and larger than the SSD's, so the overlap is looser.
      for (const f of b) {
        const best = a.reduce((m, g) => (iou(f.box, g.box) > iou(f.box, m.box) ? g : m));
        expect(iou(f.box, best.box)).toBeGreaterThan(0.35);
        const cx = f.box.x + f.box.width / 2;
        const cy = f.box.y + f.box.height / 2;
        expect(cx > best.box.x && cx < best.box.x + best.box.width && cy > best.box.y && cy < best.box.y + best.box.height).toBe(true);
      }
    } finally {
      tiny.dispose();
    }
    await expect(FaceDetector.load({ detector: 'tiny', inputSize: 100 })).rejects.toThrow(/options.inputSize must be a multiple of 32/);
    await expect(FaceDetector.load({ detector: 'yolo' as 'tiny' })).rejects.toThrow(/options.detector/);
    await expect(FaceDetector.load({ inputSize: 416 })).rejects.toThrow(/options.inputSize must be 512/);
  });
});
