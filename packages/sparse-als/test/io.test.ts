import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bm25Weight, CsrMatrix, fromNpy, IdMap, ImplicitALS, logWeight, tfidfWeight, toNpy } from '../src/index.js';

const m = CsrMatrix.fromCoo(6, 5, [0, 0, 1, 2, 3, 4, 5, 5], [0, 1, 1, 2, 3, 4, 0, 4], [3, 1, 2, 5, 1, 1, 4, 2]);

describe('binary formats', () => {
  it('CsrMatrix round-trips through bytes and files and rejects damaged data', async () => {
    const back = CsrMatrix.fromBytes(m.toBytes());
    expect(Array.from(back.indptr)).toEqual(Array.from(m.indptr));
    expect(Array.from(back.data)).toEqual(Array.from(m.data));
    const path = join(mkdtempSync(join(tmpdir(), 'csr-')), 'm.bin');
    await m.save(path);
    expect((await CsrMatrix.load(path)).get(2, 2)).toBe(5);
    const bytes = m.toBytes();
    expect(() => CsrMatrix.fromBytes(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated|trailing/);
    expect(() => CsrMatrix.fromBytes(Buffer.from('not a matrix at all'))).toThrow(/bad magic/);
    const hostile = Buffer.from(bytes);
    hostile.writeInt32LE(99, hostile.length - m.nnz * 8 + 4); // a column index out of range
    expect(() => CsrMatrix.fromBytes(hostile)).toThrow(/indices\[1\] must be a column in \[0, 4\] above the previous one in row 0/);
  });

  it('ImplicitALS saves and loads with its ids, and the loaded model answers the same', async () => {
    const users = new IdMap(['a', 'b', 'c', 'd', 'e', 'f']);
    const items = new IdMap(['i', 'j', 'k', 'l', 'm']);
    const model = await new ImplicitALS({ factors: 4, iterations: 3 }).fit(m, { users, items });
    const path = join(mkdtempSync(join(tmpdir(), 'als-')), 'model.bin');
    await model.save(path);
    const back = await ImplicitALS.load(path);
    expect(back.recommend('a', { n: 3 })).toEqual(model.recommend('a', { n: 3 }));
    expect(back.explain('b', 'k').score).toBeCloseTo(model.explain('b', 'k').score, 10);
    const bytes = model.toBytes();
    expect(() => ImplicitALS.fromBytes(m.toBytes())).toThrow(/holds a CsrMatrix, not a ImplicitALS/);
    expect(() => ImplicitALS.fromBytes(bytes.subarray(0, 100))).toThrow(/truncated/);
    // Saves are atomic: concurrent saves into one folder all land whole, a failed save keeps the
    // old file and leaves no temporary file (they truncated the old file in place before).
    await Promise.all([model.save(path), model.save(path), m.save(`${path}.csr`), m.save(`${path}.csr`)]);
    expect((await ImplicitALS.load(path)).recommend('a', { n: 3 })).toEqual(model.recommend('a', { n: 3 }));
    const blocked = join(path, '..', 'taken');
    mkdirSync(blocked);
    await expect(model.save(blocked)).rejects.toThrow();
    await expect(m.save(blocked)).rejects.toThrow();
    expect(readdirSync(join(path, '..')).sort()).toEqual(['model.bin', 'model.bin.csr', 'taken']);
  });

  it('exports and imports factors as .npy (float32 and numpy float64) and CSV', async () => {
    const model = await new ImplicitALS({ factors: 3, iterations: 2 }).fit(m);
    const { users, items } = model.exportNpy();
    const u = fromNpy(users);
    expect([u.rows, u.cols]).toEqual([6, 3]);
    expect(Array.from(u.data)).toEqual(Array.from(model.userFactors));
    const again = ImplicitALS.fromFactors(users, items, { userItems: m });
    expect(again.recommend(0, { n: 2 })).toEqual(model.recommend(0, { n: 2 }));
    // A float64 file as numpy.save writes it.
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = `${header.padEnd(64 - 10 - 1, ' ')}\n`;
    const f64 = Buffer.concat([
      Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
      Buffer.from([padded.length, 0]),
      Buffer.from(padded, 'latin1'),
      Buffer.from(Float64Array.of(1, 2, 3, 4.5).buffer),
    ]);
    expect(Array.from(fromNpy(f64).data)).toEqual([1, 2, 3, 4.5]);
    expect(() => fromNpy(f64.subarray(0, f64.length - 8))).toThrow(/must hold 2 x 2 values/);
    expect(() => fromNpy(Buffer.from('nope'))).toThrow(/magic/);
    expect(toNpy(Float32Array.of(1, 2), 1, 2).length % 64).toBe(8); // header padded to 64, then 8 data bytes
    expect(() => toNpy(new Float32Array(0), -1, 0)).toThrow(/rows must be an integer >= 0, got -1/);
    expect(() => toNpy(new Float32Array(2), 2, 1.5)).toThrow(/cols must be/);
    expect(toNpy(new Float32Array(0), 0, 3).toString('latin1')).toContain('(0, 3)');
    expect(model.exportCsv().users.split('\n')[0]).toBe('id,f0,f1,f2');
    expect(() => ImplicitALS.fromFactors(users, fromNpy(toNpy(new Float32Array(10), 5, 2)))).toThrow(/items must be 3 factors like users/);
  });

  it('folds in new items', async () => {
    const items = new IdMap(['i', 'j', 'k', 'l', 'm']);
    const model = await new ImplicitALS({ factors: 3, iterations: 3 }).fit(m, { users: new IdMap(['a', 'b', 'c', 'd', 'e', 'f']), items });
    model.partialFitItems(['new'], [{ users: ['a', 'b'], values: [3, 1] }]);
    expect(model.items?.get('new')).toBe(5);
    expect(model.userItems?.cols).toBe(6);
    expect(model.recommend('a', { n: 6 }).map((r) => r.id)).not.toContain('new'); // liked now, filtered
    expect(model.similarItems('new', { n: 2 })).toHaveLength(2);
  });
});

describe('weighting', () => {
  it('BM25, TF-IDF and log keep the structure and damp ubiquitous items', () => {
    for (const w of [bm25Weight(m), tfidfWeight(m), logWeight(m)]) {
      expect(Array.from(w.indices)).toEqual(Array.from(m.indices));
      for (const v of w.data) expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
    expect(logWeight(m, { eps: 1 }).get(2, 2)).toBeCloseTo(Math.log(6), 6);
    // Item 1 (2 users of 6) gets a lower idf than item 2 (1 user).
    const t = tfidfWeight(m);
    expect(t.get(1, 1) / m.get(1, 1)).toBeLessThan(t.get(2, 2) / m.get(2, 2));
    expect(() => bm25Weight(m, { B: 2 })).toThrow(/options.B must be a number in \[0, 1\], got 2/);
    expect(() => logWeight(m, { eps: 0 })).toThrow(/options.eps must be a positive number/);
  });
});
