import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage } from '@aiffel/runtime';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, contactSheet, exportProjector, FaceEmbedder, FaceGallery, faceThumbnail, galleryMapPng, galleryMapSvg } from '../src/index.js';
import { samplePhoto } from './helpers.js';

let embedder: FaceEmbedder;
let dir: string;
let gallery: FaceGallery;
let report: Awaited<ReturnType<typeof addFolder>>;

beforeAll(async () => {
  embedder = await FaceEmbedder.load();
  dir = await mkdtemp(join(tmpdir(), 'faces-'));
  // Layout: top-level photos named by stem, one identity per sub-folder, plus a blank and a broken file.
  await symlink(samplePhoto(2), join(dir, 'group2.jpg'));
  await mkdir(join(dir, 'party'));
  await symlink(samplePhoto(3), join(dir, 'party', 'a.jpg'));
  await symlink(samplePhoto(4), join(dir, 'party', 'b.jpg'));
  await writeFile(join(dir, 'blank.png'), await encodeImage({ data: new Uint8Array(64 * 64 * 3).fill(200), shape: [64, 64, 3] }));
  await writeFile(join(dir, 'broken.jpg'), 'not a jpeg');
  await writeFile(join(dir, 'notes.txt'), 'ignored: not an image extension');
  gallery = new FaceGallery();
  report = await addFolder(gallery, embedder, dir);
});
afterAll(() => embedder.dispose());

describe('addFolder', () => {
  it('names entries by file stem or sub-folder and reports what it skipped', () => {
    expect(report.added.map((a) => [a.file, a.name])).toEqual([
      ['group2.jpg', 'group2'],
      [join('party', 'a.jpg'), 'party'],
      [join('party', 'b.jpg'), 'party'],
    ]);
    expect(report.skipped.map((s) => s.file).sort()).toEqual(['blank.png', 'broken.jpg']);
    expect(report.skipped.find((s) => s.file === 'blank.png')?.reason).toBe('no face');
    expect(report.several.map((s) => s.faces)).toEqual([3, 3, 4]);
    expect(gallery.size).toBe(3);
  });
});

describe('pictures', () => {
  it('draws a contact sheet with the query on top and the matches below', async () => {
    const hits = gallery.search(gallery.descriptorAt(0), { k: 3 });
    const png = await contactSheet(
      { image: samplePhoto(2), box: gallery.entryAt(0).meta?.box as never, label: 'query' },
      hits.map((h) => ({ image: join(dir, String(h.meta?.file)), box: h.meta?.box as never, label: h.name, detail: h.distance.toFixed(3) })),
      { cell: 96 },
    );
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(3 * (96 + 12) + 12);
    await expect(contactSheet({ image: samplePhoto(2), label: 'q' }, [])).rejects.toThrow(/matches must be a non-empty array/);
  });

  it('refuses a thumbnail box outside the image, or one that is not a box, instead of a grey square', async () => {
    const { width = 0, height = 0 } = await sharp(samplePhoto(2)).metadata();
    const thumb = await faceThumbnail(samplePhoto(2), { x: 10, y: 10, width: 50, height: 60 }, 32);
    expect(thumb).toHaveLength(32 * 32 * 3);
    await expect(faceThumbnail(samplePhoto(2), { x: width + 5, y: 0, width: 40, height: 40 }, 32)).rejects.toThrow(
      new RegExp(`box must be a box overlapping the ${width}x${height} image`),
    );
    await expect(faceThumbnail(samplePhoto(2), { x: -100, y: -100, width: 50, height: 50 }, 32)).rejects.toThrow(/overlapping/);
    await expect(faceThumbnail(samplePhoto(2), { x: 0, y: 0, width: Number.NaN, height: 5 }, 32)).rejects.toThrow(/box must be \{ x, y, width, height \}/);
    await expect(faceThumbnail(samplePhoto(2), { x: 0, y: 0, width: 0, height: 5 }, 32)).rejects.toThrow(/positive size/);
    await expect(faceThumbnail(samplePhoto(2), undefined, 0)).rejects.toThrow(/size must be an integer in 1..4096/);
    await expect(faceThumbnail(samplePhoto(2), undefined, 32, -1)).rejects.toThrow(/margin must be a number in \[0, 10\]/);
  });

  it('maps the gallery with PCA and t-SNE (one point per entry)', async () => {
    const g = new FaceGallery({ dim: 4 });
    for (let i = 0; i < 12; i++) g.add(i < 6 ? 'a' : 'b', [i < 6 ? 0 : 5, i % 3, (i * 7) % 5, 1]);
    for (const method of ['pca', 'tsne'] as const) {
      const svg = await galleryMapSvg(g, { method, size: 300 });
      expect(svg.match(/<circle/g)?.length).toBe(12);
    }
    const png = await galleryMapPng(g, { size: 200 });
    expect((await sharp(png).metadata()).width).toBe(200);
    await expect(galleryMapSvg(new FaceGallery(), {})).rejects.toThrow(/at least 3 entries/);
  });

  it('exports a TensorFlow Projector folder with vectors, metadata and a sprite', async () => {
    const out = await mkdtemp(join(tmpdir(), 'projector-'));
    const files = await exportProjector(gallery, out, {
      thumbnail: (i) => ({ image: join(dir, String(gallery.entryAt(i).meta?.file)), box: gallery.entryAt(i).meta?.box as never }),
      cell: 32,
    });
    expect(files).toEqual(['vectors.tsv', 'metadata.tsv', 'projector_config.pbtxt', 'sprite.png']);
    const vectors = (await readFile(join(out, 'vectors.tsv'), 'utf8')).trim().split('\n');
    expect(vectors).toHaveLength(3);
    expect(vectors[0]?.split('\t')).toHaveLength(128);
    expect((await readFile(join(out, 'metadata.tsv'), 'utf8')).split('\n')[2]).toBe(`party\t${join('party', 'a.jpg')}`);
    expect(await readFile(join(out, 'projector_config.pbtxt'), 'utf8')).toContain('single_image_dim: 32');
    expect((await sharp(join(out, 'sprite.png')).metadata()).width).toBe(64);
  });
});

describe('FaceEmbedderPool', () => {
  it('gives the single-thread results on both cores, in input order', async () => {
    const { FaceEmbedderPool } = await import('../src/index.js');
    const pool = await FaceEmbedderPool.create({ size: 2 });
    try {
      const photos = [samplePhoto(2), samplePhoto(6), samplePhoto(1)];
      const pooled = await pool.embedAll(photos);
      expect(pooled.map((r) => r.length)).toEqual([3, 4, 3]);
      const single = await embedder.embedAll(photos[1] as string);
      expect(pooled[1]?.map((f) => Array.from(f.descriptor))).toEqual(single.map((f) => Array.from(f.descriptor)));
      await expect(pool.embedAll('x' as never)).rejects.toThrow(/images must be an array/);
    } finally {
      await pool.close();
    }
    await expect(FaceEmbedderPool.create({ size: 0 })).rejects.toThrow(/options.size/);
    // Detector options pass through to the workers' embedders (checked, not refused as unknown).
    await expect(FaceEmbedderPool.create({ detector: 'yolo' as 'tiny' })).rejects.toThrow(/options.detector must be 'ssd' or 'tiny'/);
    await expect(FaceEmbedderPool.create({ colour: 1 } as object)).rejects.toThrow(/unknown option "colour"/);
  });
});
