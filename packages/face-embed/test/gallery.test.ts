import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calibration, distance, FaceGallery, VectorIndex } from '../src/index.js';
import { randomVectors } from './helpers.js';

describe('VectorIndex', () => {
  it('uses the SIMD kernel when the built wasm is present', () => {
    expect(new VectorIndex(128).simd).toBe(true);
    expect(new VectorIndex(128, { simd: false }).simd).toBe(false);
  });

  for (const metric of ['l2', 'cosine'] as const) {
    it(`returns exactly the brute-force top-k (${metric}, random vectors, with duplicates and removals)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (n, k, seed) => {
          const dim = 32;
          const rows = randomVectors(n, dim, seed);
          // Exact duplicates stress the tie-break (by row).
          if (n > 3) rows.copyWithin(dim, 0, dim);
          const simd = new VectorIndex(dim, { capacity: 16 });
          const plain = new VectorIndex(dim, { simd: false });
          simd.add(rows);
          plain.add(rows);
          if (n > 5) {
            simd.removeAt(2);
            plain.removeAt(2);
          }
          const q = randomVectors(1, dim, seed + 7);
          const a = simd.search(q, k, metric);
          const b = plain.bruteForce(q, k, metric);
          expect(a.map((x) => x.index)).toEqual(b.map((x) => x.index));
          for (const [i, x] of a.entries()) expect(x.distance).toBeCloseTo((b[i] as { distance: number }).distance, 12);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('stays exact for rows much larger than the first batch (clipped codes widen their bound)', () => {
    const dim = 16;
    const idx = new VectorIndex(dim);
    idx.add(randomVectors(50, dim, 3).map((v) => v * 0.01));
    idx.add(randomVectors(50, dim, 4).map((v) => v * 10));
    const q = randomVectors(1, dim, 5).map((v) => v * 10);
    expect(idx.search(q, 7, 'l2')).toEqual(idx.bruteForce(q, 7, 'l2'));
  });

  it('computes l2 as the Euclidean distance and cosine as 1 - cos (hand-checked)', () => {
    const idx = new VectorIndex(16, { simd: false });
    const a = new Float32Array(16);
    a[0] = 3;
    a[1] = 4;
    idx.add(a);
    const q = new Float32Array(16);
    expect(idx.search(q, 1, 'l2')[0]?.distance).toBeCloseTo(5, 12);
    q[0] = 1;
    expect(idx.search(q, 1, 'cosine')[0]?.distance).toBeCloseTo(1 - 3 / 5, 12);
  });
});

describe('FaceGallery', () => {
  function filled(n = 20, dim = 128) {
    const g = new FaceGallery({ dim });
    const v = randomVectors(n, dim, 9);
    g.addMany(Array.from({ length: n }, (_, i) => ({ name: `p${i % 5}`, descriptor: v.subarray(i * dim, (i + 1) * dim), meta: { i } })));
    return { g, v, dim };
  }

  it('finds an entry itself first, with rank, name, id, distance and similarity', () => {
    const { g, v, dim } = filled();
    const hits = g.search(v.subarray(7 * dim, 8 * dim), { k: 3 });
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    expect(hits[0]).toMatchObject({ name: 'p2', id: 7, distance: 0, similarity: 1, meta: { i: 7 } });
    expect((hits[1] as { distance: number }).distance).toBeGreaterThan(0);
  });

  it('searchPeople ranks people by their nearest photo or their mean distance, as a brute-force grouping does', () => {
    const dim = 16;
    const g = new FaceGallery({ dim });
    const n = 300;
    const v = randomVectors(n, dim, 4);
    // Uneven identities: p0 has 100 photos, the others 2 to 40.
    const name = (i: number) => (i < 100 ? 'p0' : `p${1 + (i % 13)}`);
    g.addMany(Array.from({ length: n }, (_, i) => ({ name: name(i), descriptor: v.subarray(i * dim, (i + 1) * dim) })));
    const query = randomVectors(1, dim, 77);
    const byName = new Map<string, number[]>();
    for (let i = 0; i < n; i++) byName.set(name(i), [...(byName.get(name(i)) ?? []), distance(query, v.subarray(i * dim, (i + 1) * dim), 'l2')]);
    for (const by of ['best', 'mean'] as const) {
      const expected = [...byName]
        .map(([nm, d]) => ({ name: nm, d: by === 'best' ? Math.min(...d) : d.reduce((a, b) => a + b, 0) / d.length, photos: d.length }))
        .sort((a, b) => a.d - b.d);
      const got = g.searchPeople(query, { k: 6, by });
      expect(got.map((p) => p.name)).toEqual(expected.slice(0, 6).map((e) => e.name));
      got.forEach((p, i) => {
        expect(p.rank).toBe(i + 1);
        expect(p.distance).toBeCloseTo(expected[i]?.d as number, 5);
        expect(p.photos).toBe(expected[i]?.photos);
        expect(p.nearest.name).toBe(p.name);
      });
    }
    // Asking for more people than there are returns every person once.
    expect(g.searchPeople(query, { k: 50 })).toHaveLength(14);
    expect(new FaceGallery({ dim }).searchPeople(query)).toEqual([]);
    expect(() => g.searchPeople(query, { by: 'median' as 'best' })).toThrow(/options.by must be 'best' or 'mean'/);
    expect(() => g.searchPeople(query, { k: 0 })).toThrow(/options.k/);
    expect(() => g.searchPeople(query, { top: 3 } as never)).toThrow(/searchPeople options/);
  });

  it('removes by id and by name without disturbing other ids', () => {
    const { g, v, dim } = filled();
    expect(g.remove(3)).toBe(1);
    expect(g.remove('p0')).toBe(4);
    expect(g.size).toBe(15);
    expect(g.remove('nobody')).toBe(0);
    const hit = g.search(v.subarray(19 * dim, 20 * dim), { k: 1 })[0];
    expect(hit).toMatchObject({ id: 19, name: 'p4', distance: 0 });
    expect(g.names()).not.toContain('p0');
  });

  it('round-trips through save/load (ids, metadata, calibration, vectors)', async () => {
    const { g, v, dim } = filled();
    g.remove(4);
    g.calibration = Calibration.fit([
      { distance: 0.3, same: true },
      { distance: 0.5, same: true },
      { distance: 0.7, same: false },
      { distance: 0.9, same: false },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'gallery-'));
    await g.save(dir);
    const h = await FaceGallery.load(dir);
    expect(h.size).toBe(g.size);
    expect(h.names()).toEqual(g.names());
    const q = v.subarray(11 * dim, 12 * dim);
    expect(h.search(q, { k: 5 })).toEqual(g.search(q, { k: 5 }));
    expect(h.calibration?.toJSON()).toEqual(g.calibration.toJSON());
    // New ids continue after the saved ones.
    expect(h.add('new', q)).toBe(20);
  });

  it('refuses tampered or truncated files with a message naming the problem', async () => {
    const { g } = filled(4);
    const dir = await mkdtemp(join(tmpdir(), 'gallery-bad-'));
    await g.save(dir);
    const bytes = await readFile(join(dir, 'vectors.f32'));
    await writeFile(join(dir, 'vectors.f32'), bytes.subarray(0, 100));
    await expect(FaceGallery.load(dir)).rejects.toThrow(/vectors.f32 must be 2048 bytes/);
    await writeFile(join(dir, 'vectors.f32'), bytes);
    const json = JSON.parse(await readFile(join(dir, 'gallery.json'), 'utf8'));
    await writeFile(join(dir, 'gallery.json'), JSON.stringify({ ...json, dim: 1e9 }));
    await expect(FaceGallery.load(dir)).rejects.toThrow(/dim must be an integer in 1..4096/);
    await writeFile(join(dir, 'gallery.json'), JSON.stringify({ ...json, entries: [{ __proto__: { polluted: 1 }, id: 0 }, ...json.entries.slice(1)] }));
    await expect(FaceGallery.load(dir)).rejects.toThrow(/entries\[0\]/);
    await writeFile(join(dir, 'gallery.json'), '{"format":"something-else"}');
    await expect(FaceGallery.load(dir)).rejects.toThrow(/format/);
    await expect(FaceGallery.load(join(dir, 'missing'))).rejects.toThrow(/cannot read/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects bad input without changing the gallery', () => {
    const { g } = filled(3);
    expect(() => g.add('x', new Float32Array(5))).toThrow(/descriptor.length must be 128/);
    const nan = new Float32Array(128);
    nan[9] = Number.NaN;
    expect(() =>
      g.addMany([
        { name: 'ok', descriptor: new Float32Array(128) },
        { name: 'bad', descriptor: nan },
      ]),
    ).toThrow(/items\[1\].descriptor\[9\] must be a finite number/);
    expect(g.size).toBe(3);
    expect(() => g.add('', new Float32Array(128))).toThrow(/name must be a non-empty string/);
    expect(() => g.search(new Float32Array(128), { k: 0 })).toThrow(/options.k must be a positive integer/);
    expect(() => g.search(new Float32Array(128), { metric: 'manhattan' as 'l2' })).toThrow(/options.metric/);
    expect(() => g.searchBatch([new Float32Array(128), new Float32Array(3)])).toThrow(/queries\[1\].length/);
    expect(() => g.verify(new Float32Array(128), new Float32Array(128))).toThrow(/options.threshold/);
    expect(() => new FaceGallery({ dim: 0 })).toThrow(/options.dim/);
    expect(() => new FaceGallery({ nope: 1 } as object)).toThrow(/nope/);
    expect(g.size).toBe(3);
  });

  it('verifies with a threshold or the calibration, and gives the pairwise distance matrix', () => {
    const { g, v, dim } = filled(4);
    const a = v.subarray(0, dim);
    const b = v.subarray(dim, 2 * dim);
    const d = distance(a, b, 'l2');
    expect(g.verify(a, b, { threshold: d + 1e-9 })).toEqual({ distance: d, same: true });
    expect(g.verify(a, b, { threshold: d - 1e-6 }).same).toBe(false);
    expect(() => g.verify(a, b, { threshold: -1 })).toThrow(/options.threshold must be a finite distance >= 0 .*got -1/);
    expect(() => g.verify(a, b, { threshold: Number.NaN })).toThrow(/options.threshold must be a finite distance >= 0/);
    const m = g.distanceMatrix();
    expect(m[1]).toBeCloseTo(d, 6);
    expect(m[4]).toBeCloseTo(d, 6);
    expect(m[0]).toBe(0);
  });
});
