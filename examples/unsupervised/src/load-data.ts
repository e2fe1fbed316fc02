import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Rng } from '@aiffel/algos';
import { parse } from 'csv-parse/sync';

/** Samples x features as float32, optional true labels with their names. */
export interface Dataset {
  name: string;
  x: { data: Float32Array; rows: number; cols: number };
  features: string[];
  labels?: Int32Array;
  labelNames?: string[];
}

/** Five Gaussian blobs in 10 dimensions, two of them close together: something for DBSCAN and k-means to disagree on. */
export function syntheticBlobs(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const d = 10;
  const centres = Array.from({ length: 5 }, (_, c) => Array.from({ length: d }, () => (rng.random() * 2 - 1) * (c === 4 ? 4 : 10)));
  centres[4] = (centres[3] as number[]).map((v) => v + 3);
  const data = new Float32Array(rows * d);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % 5;
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = ((centres[c] as number[])[j] as number) + rng.normal();
  }
  return {
    name: 'synthetic blobs',
    x: { data, rows, cols: d },
    features: Array.from({ length: d }, (_, j) => `x${j}`),
    labels,
    labelNames: ['a', 'b', 'c', 'd', 'e'],
  };
}

/**
 * A CSV with a header row. Features: `columns`, or every column whose values all parse as numbers
 * (the label column excepted). A row with the wrong number of fields or a non-numeric feature
 * value throws, naming the line and column: nothing is dropped silently.
 */
export function loadCsv(path: string, label: string | undefined, columns: string[] | undefined, limit: number): Dataset {
  const records = parse(readFileSync(path, 'utf8'), { columns: false, skip_empty_lines: true, trim: true }) as string[][];
  const header = records[0];
  if (header === undefined || records.length < 2) throw new RangeError(`${path} must have a header row and at least one data row`);
  const rows = records.slice(1, 1 + limit);
  const index = (c: string): number => {
    const i = header.indexOf(c);
    if (i < 0) throw new RangeError(`column ${JSON.stringify(c)} is not in ${path}; columns: ${header.join(', ')}`);
    return i;
  };
  const labelAt = label === undefined ? -1 : index(label);
  const numeric = (i: number) => rows.every((r) => r[i] !== undefined && r[i] !== '' && Number.isFinite(Number(r[i])));
  const featureAt = columns ? columns.map(index) : header.map((_, i) => i).filter((i) => i !== labelAt && numeric(i));
  if (featureAt.length === 0) throw new RangeError(`${path} has no numeric feature columns; pick some with --columns`);
  const d = featureAt.length;
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    featureAt.forEach((c, j) => {
      const v = Number(r[c]);
      if (r[c] === '' || !Number.isFinite(v))
        throw new RangeError(`${path} line ${i + 2}, column ${JSON.stringify(header[c])}: expected a number, got ${JSON.stringify(r[c])}`);
      data[i * d + j] = v;
    });
  });
  const out: Dataset = { name: path, x: { data, rows: rows.length, cols: d }, features: featureAt.map((c) => header[c] as string) };
  if (labelAt >= 0) {
    const names = [...new Set(rows.map((r) => r[labelAt] as string))].sort();
    out.labelNames = names;
    out.labels = Int32Array.from(rows, (r) => names.indexOf(r[labelAt] as string));
  }
  return out;
}

function readIdx(path: string, magic: number): Buffer {
  const raw = readFileSync(path);
  const buf = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  if (buf.length < 8 || buf.readUInt32BE(0) !== magic) throw new RangeError(`${path} is not an IDX file with magic ${magic}`);
  return buf;
}

/** MNIST from a folder with the standard IDX files (the test set: 10,000 digits) or an images file; pixels scaled to [0, 1]. */
export function loadMnist(path: string, limit: number): Dataset {
  const dir = statSync(path).isDirectory();
  const images = dir ? join(path, 't10k-images-idx3-ubyte.gz') : path;
  const labelsPath = dir ? join(path, 't10k-labels-idx1-ubyte.gz') : images.replace('images-idx3', 'labels-idx1');
  const img = readIdx(images, 2051);
  const count = Math.min(img.readUInt32BE(4), limit);
  const pixels = img.readUInt32BE(8) * img.readUInt32BE(12);
  if (img.length < 16 + count * pixels)
    throw new RangeError(`${images} is truncated: ${count} images of ${pixels} pixels need ${16 + count * pixels} bytes, got ${img.length}`);
  const data = new Float32Array(count * pixels);
  for (let i = 0; i < count * pixels; i++) data[i] = (img[16 + i] as number) / 255;
  const out: Dataset = { name: `MNIST (${images})`, x: { data, rows: count, cols: pixels }, features: [] };
  if (existsSync(labelsPath)) {
    const lab = readIdx(labelsPath, 2049);
    out.labels = Int32Array.from(lab.subarray(8, 8 + count));
    out.labelNames = Array.from({ length: 10 }, (_, i) => String(i));
  }
  return out;
}

export function loadDataset(data: string | undefined, label: string | undefined, columns: string[] | undefined, limit: number, seed: number): Dataset {
  if (data === undefined) return syntheticBlobs(Math.min(limit, 1500), seed);
  if (!existsSync(data)) throw new RangeError(`--data ${data} does not exist`);
  if (statSync(data).isDirectory() || /idx3-ubyte(\.gz)?$/.test(data)) return loadMnist(data, limit);
  return loadCsv(data, label, columns, limit);
}
