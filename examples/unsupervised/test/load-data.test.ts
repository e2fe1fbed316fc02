import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCsv, loadDataset, loadMnist, syntheticBlobs } from '../src/load-data.js';
import { scatterSvg } from '../src/scatter-svg.js';
import { standardize } from '../src/standardize.js';

const dir = mkdtempSync(join(tmpdir(), 'unsupervised-test-'));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('loadCsv', () => {
  it('reads numeric columns and a label column', () => {
    const p = file('ok.csv', 'name,a,b,kind\nx,1,2,cat\n"y, quoted",3,4.5,dog\nz,5,6,cat\n');
    const ds = loadCsv(p, 'kind', undefined, 100);
    expect(ds.features).toEqual(['a', 'b']);
    expect(Array.from(ds.x.data)).toEqual([1, 2, 3, 4.5, 5, 6]);
    expect(ds.labelNames).toEqual(['cat', 'dog']);
    expect(Array.from(ds.labels ?? [])).toEqual([0, 1, 0]);
    expect(loadCsv(p, undefined, ['b'], 2).x.rows).toBe(2);
  });
  it('rejects malformed rows, non-numeric values and unknown columns, naming them', () => {
    expect(() => loadCsv(file('ragged.csv', 'a,b\n1,2\n3\n'), undefined, undefined, 10)).toThrow(/Invalid Record Length|columns/i);
    expect(() => loadCsv(file('text.csv', 'a,b\n1,2\n3,x\n'), undefined, ['a', 'b'], 10)).toThrow(/line 3, column "b": expected a number, got "x"/);
    expect(() => loadCsv(file('cols.csv', 'a,b\n1,2\n'), undefined, ['c'], 10)).toThrow(/column "c" is not in/);
    expect(() => loadCsv(file('empty.csv', 'a,b\n'), undefined, undefined, 10)).toThrow(/at least one data row/);
    expect(() => loadCsv(file('words.csv', 'a,b\nx,y\n'), undefined, undefined, 10)).toThrow(/no numeric feature columns/);
  });
});

describe('loadMnist', () => {
  it('reads IDX images and labels and rejects truncated or foreign files', () => {
    const img = Buffer.alloc(16 + 2 * 4);
    img.writeUInt32BE(2051, 0);
    img.writeUInt32BE(2, 4);
    img.writeUInt32BE(2, 8);
    img.writeUInt32BE(2, 12);
    img.set([0, 255, 51, 102, 255, 0, 0, 0], 16);
    const lab = Buffer.alloc(8 + 2);
    lab.writeUInt32BE(2049, 0);
    lab.writeUInt32BE(2, 4);
    lab.set([7, 3], 8);
    const p = file('t10k-images-idx3-ubyte.gz', gzipSync(img));
    file('t10k-labels-idx1-ubyte.gz', gzipSync(lab));
    const ds = loadMnist(p, 10);
    expect(ds.x.rows).toBe(2);
    expect(ds.x.data[1]).toBe(1);
    expect(ds.x.data[2]).toBeCloseTo(0.2, 6);
    expect(Array.from(ds.labels ?? [])).toEqual([7, 3]);
    expect(loadMnist(dir, 1).x.rows).toBe(1);
    const cut = file('cut-images-idx3-ubyte', img.subarray(0, 20));
    expect(() => loadMnist(cut, 10)).toThrow(/is truncated/);
    const foreign = file('foreign-images-idx3-ubyte', Buffer.from('not an idx file at all'));
    expect(() => loadMnist(foreign, 10)).toThrow(/is not an IDX file with magic 2051/);
  });
});

describe('built-in data, scaling and plots', () => {
  it('makes labelled blobs, standardises columns and draws every point', () => {
    const ds = syntheticBlobs(100, 1);
    expect(ds.x.rows).toBe(100);
    expect(new Set(ds.labels).size).toBe(5);
    standardize(ds.x);
    let mean = 0;
    let sq = 0;
    for (let i = 0; i < 100; i++) {
      mean += ds.x.data[i * 10] as number;
      sq += (ds.x.data[i * 10] as number) ** 2;
    }
    expect(mean / 100).toBeCloseTo(0, 5);
    expect(sq / 100).toBeCloseTo(1, 4);
    const svg = scatterSvg({ data: [0, 0, 1, 1, 2, 0], rows: 3 }, [0, -1, 1], 'a <title>', ['x', 'y']);
    expect(svg.match(/<circle/g)?.length).toBe(3);
    expect(svg).toContain('noise');
    expect(svg).toContain('a &#60;title&#62;');
    expect(() => loadDataset(join(dir, 'missing.csv'), undefined, undefined, 10, 0)).toThrow(/does not exist/);
  });
});
