import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@aiffel/core';
import { assertKnownOptions, rangeError, typeError } from '@aiffel/runtime';
import { Calibration } from '../calibrate/calibration.js';
import { type PersonHit, rankPeople } from './people.js';
import { type Metric, VectorIndex } from './vector-index.js';

/** What a search returns for one gallery entry. */
export interface SearchHit {
  /** 1 for the nearest. */
  rank: number;
  name: string;
  /** Stable id of the entry (survives removals of other entries). */
  id: number;
  distance: number;
  /** The cosine similarity (1 - distance) for cosine; 1 / (1 + distance) for l2. */
  similarity: number;
  /** Calibrated same-person probability, when the gallery has a calibration for this metric. */
  probability?: number;
  meta?: Record<string, unknown>;
}

export interface SearchOptions {
  /** How many neighbours. Default 5. */
  k?: number;
  /** Default: the gallery's metric ('l2' unless set). */
  metric?: Metric;
}

export interface FaceGalleryOptions {
  /** Descriptor length. Default 128. */
  dim?: number;
  /** Default metric of searches. Default 'l2'. */
  metric?: Metric;
  /** Use the WebAssembly SIMD scan (default true; false scans in plain JavaScript, same results). */
  simd?: boolean;
  /** Distance calibration for `probability` and `verify`. Default: none. */
  calibration?: Calibration;
}

interface Entry {
  id: number;
  name: string;
  meta?: Record<string, unknown>;
}

const FORMAT = 'aiffel-face-gallery';
const MAX_DIM = 4096;

function checkMetric(name: string, m: unknown): Metric {
  if (m !== 'l2' && m !== 'cosine') throw rangeError(name, "'l2' or 'cosine'", m);
  return m;
}

/**
 * Named face descriptors with exact top-k search (int8 SIMD scan + exact re-rank; milliseconds at
 * a million entries), verification, pairwise distances and a versioned save format.
 */
export class FaceGallery {
  readonly dim: number;
  readonly metric: Metric;
  calibration: Calibration | undefined;
  private index: VectorIndex;
  private entries: Entry[] = [];
  private nextId = 0;

  constructor(options: FaceGalleryOptions = {}) {
    assertKnownOptions('FaceGallery options', options, ['dim', 'metric', 'simd', 'calibration']);
    const dim = options.dim ?? 128;
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) throw rangeError('options.dim', `an integer in 1..${MAX_DIM}`, dim);
    this.dim = dim;
    this.metric = checkMetric('options.metric', options.metric ?? 'l2');
    if (options.calibration !== undefined && !(options.calibration instanceof Calibration))
      throw typeError('options.calibration', 'a Calibration', options.calibration);
    this.calibration = options.calibration;
    this.index = new VectorIndex(dim, { simd: options.simd });
  }

  get size(): number {
    return this.entries.length;
  }

  /** True when searches run the WebAssembly SIMD scan. */
  get simd(): boolean {
    return this.index.simd;
  }

  /** Entry names in insertion order (after removals: the order the index keeps). */
  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** A copy of the descriptor of the entry at `position`. */
  descriptorAt(position: number): Float32Array {
    if (!Number.isInteger(position) || position < 0 || position >= this.size) throw rangeError('position', `an integer in 0..${this.size - 1}`, position);
    return this.index.vector(position).slice();
  }

  entryAt(position: number): { id: number; name: string; meta?: Record<string, unknown> } {
    if (!Number.isInteger(position) || position < 0 || position >= this.size) throw rangeError('position', `an integer in 0..${this.size - 1}`, position);
    return { ...(this.entries[position] as Entry) };
  }

  /** Adds one descriptor under `name`; returns its id. */
  add(name: string, descriptor: ArrayLike<number>, meta?: Record<string, unknown>): number {
    return this.addMany([{ name, descriptor, meta }])[0] as number;
  }

  /** Adds many descriptors at once (checked first: a bad one adds nothing). */
  addMany(items: { name: string; descriptor: ArrayLike<number>; meta?: Record<string, unknown> }[]): number[] {
    if (!Array.isArray(items)) throw typeError('items', 'an array', items);
    const rows = new Float32Array(items.length * this.dim);
    items.forEach((item, i) => {
      if (typeof item?.name !== 'string' || item.name.length === 0) throw typeError(`items[${i}].name`, 'a non-empty string', item?.name);
      rows.set(this.checkVector(`items[${i}].descriptor`, item.descriptor), i * this.dim);
      if (item.meta !== undefined && (item.meta === null || typeof item.meta !== 'object')) throw typeError(`items[${i}].meta`, 'an object', item.meta);
    });
    this.index.add(rows);
    return items.map((item) => {
      const id = this.nextId++;
      this.entries.push(item.meta === undefined ? { id, name: item.name } : { id, name: item.name, meta: item.meta });
      return id;
    });
  }

  /** Removes entries by id (a number) or every entry with a name (a string); returns how many. */
  remove(idOrName: number | string): number {
    if (typeof idOrName !== 'number' && typeof idOrName !== 'string') throw typeError('idOrName', 'an entry id or a name', idOrName);
    let removed = 0;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as Entry;
      if (typeof idOrName === 'number' ? e.id !== idOrName : e.name !== idOrName) continue;
      const moved = this.index.removeAt(i);
      if (moved >= 0) this.entries[i] = this.entries[moved] as Entry;
      this.entries.pop();
      removed++;
    }
    return removed;
  }

  /** The k nearest entries to a descriptor, nearest first. */
  search(query: ArrayLike<number>, options: SearchOptions = {}): SearchHit[] {
    assertKnownOptions('search options', options, ['k', 'metric']);
    const k = options.k ?? 5;
    if (!Number.isInteger(k) || k < 1) throw rangeError('options.k', 'a positive integer', k);
    const metric = checkMetric('options.metric', options.metric ?? this.metric);
    const q = this.checkVector('query', query);
    return this.index.search(q, k, metric).map((n, r) => this.hit(n.index, n.distance, r + 1, metric));
  }

  /**
   * The k nearest people rather than photos: entries are grouped by name and each person is
   * ranked by their nearest photo (`by: 'best'`, default) or by the mean distance over all their
   * photos (`'mean'`, which scans every entry). With several photos of one person, `search` fills
   * its top k with that person; this answers "who do I look like" once per person.
   */
  searchPeople(query: ArrayLike<number>, options: SearchOptions & { by?: 'best' | 'mean' } = {}): PersonHit[] {
    assertKnownOptions('searchPeople options', options, ['k', 'metric', 'by']);
    const k = options.k ?? 5;
    if (!Number.isInteger(k) || k < 1) throw rangeError('options.k', 'a positive integer', k);
    const by = options.by ?? 'best';
    if (by !== 'best' && by !== 'mean') throw rangeError('options.by', "'best' or 'mean'", by);
    const metric = checkMetric('options.metric', options.metric ?? this.metric);
    const q = this.checkVector('query', query);
    const photos = new Map<string, number>();
    for (const e of this.entries) photos.set(e.name, (photos.get(e.name) ?? 0) + 1);
    if (this.size === 0) return [];
    // 'best': grow the exact entry search until it holds k distinct names (or every entry).
    let depth = by === 'mean' ? this.size : Math.min(this.size, 4 * k);
    for (;;) {
      const hits = this.index.search(q, depth, metric).map((n, r) => this.hit(n.index, n.distance, r + 1, metric));
      if (depth === this.size || new Set(hits.map((h) => h.name)).size >= k) return rankPeople(hits, photos, k, by);
      depth = Math.min(this.size, depth * 2);
    }
  }

  /** `search` for each query. */
  searchBatch(queries: ArrayLike<number>[], options: SearchOptions = {}): SearchHit[][] {
    if (!Array.isArray(queries)) throw typeError('queries', 'an array of descriptors', queries);
    return queries.map((q, i) => {
      try {
        return this.search(q, options);
      } catch (err) {
        throw err instanceof Error && /^query/.test(err.message) ? new RangeError(err.message.replace(/^query/, `queries[${i}]`)) : err;
      }
    });
  }

  /**
   * Are two descriptors the same person? Uses the calibration's threshold (or `threshold`, which
   * must be given when the gallery has no calibration; face_recognition's customary one is 0.6).
   */
  verify(
    a: ArrayLike<number>,
    b: ArrayLike<number>,
    options: { threshold?: number; metric?: Metric } = {},
  ): { distance: number; same: boolean; probability?: number } {
    assertKnownOptions('verify options', options, ['threshold', 'metric']);
    const metric = checkMetric('options.metric', options.metric ?? this.metric);
    const d = distance(this.checkVector('a', a), this.checkVector('b', b), metric);
    const cal = this.calibration?.metric === metric ? this.calibration : undefined;
    const threshold = options.threshold ?? cal?.threshold;
    if (options.threshold !== undefined && (typeof options.threshold !== 'number' || !Number.isFinite(options.threshold) || options.threshold < 0))
      throw rangeError('options.threshold', 'a finite distance >= 0 (a negative one would call no pair the same person)', options.threshold);
    if (typeof threshold !== 'number' || !Number.isFinite(threshold))
      throw rangeError('options.threshold', 'a finite number (the gallery has no calibration for this metric)', threshold);
    return cal ? { distance: d, same: d <= threshold, probability: cal.probability(d) } : { distance: d, same: d <= threshold };
  }

  /** All pairwise distances (row-major size x size, float64). */
  distanceMatrix(metric: Metric = this.metric): Float64Array {
    checkMetric('metric', metric);
    const n = this.size;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const a = this.index.vector(i);
      for (let j = i + 1; j < n; j++) {
        const d = distance(a, this.index.vector(j), metric);
        out[i * n + j] = d;
        out[j * n + i] = d;
      }
    }
    return out;
  }

  /**
   * Writes `gallery.json` (names, metadata, calibration) and `vectors.f32` (little-endian float32,
   * row-major) into `dir`, each through a temporary file so a crash never leaves half a gallery.
   */
  async save(dir: string): Promise<void> {
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    await mkdir(dir, { recursive: true });
    const vectors = new Float32Array(this.size * this.dim);
    for (let i = 0; i < this.size; i++) vectors.set(this.index.vector(i), i * this.dim);
    const json = {
      format: FORMAT,
      version: 1,
      dim: this.dim,
      count: this.size,
      metric: this.metric,
      nextId: this.nextId,
      entries: this.entries,
      calibration: this.calibration?.toJSON(),
    };
    await writeFileAtomic(join(dir, 'vectors.f32'), Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    await writeFileAtomic(join(dir, 'gallery.json'), JSON.stringify(json));
  }

  /** Reads a gallery written by `save`, checking every field and the vector file's size. */
  static async load(dir: string, options: { simd?: boolean } = {}): Promise<FaceGallery> {
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(await readFile(join(dir, 'gallery.json'), 'utf8'));
    } catch (err) {
      throw new Error(`dir: cannot read ${join(dir, 'gallery.json')} (${(err as Error).message})`);
    }
    if (json === null || typeof json !== 'object' || json.format !== FORMAT) throw rangeError('gallery.json format', `'${FORMAT}'`, json?.format);
    if (json.version !== 1) throw rangeError('gallery.json version', '1', json.version);
    const dim = json.dim;
    const count = json.count;
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) throw rangeError('gallery.json dim', `an integer in 1..${MAX_DIM}`, dim);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1e9)
      throw rangeError('gallery.json count', 'a non-negative integer', count);
    const entries = json.entries;
    if (!Array.isArray(entries) || entries.length !== count) throw rangeError('gallery.json entries', `an array of ${count} entries`, entries);
    const bytes = await readFile(join(dir, 'vectors.f32'));
    if (bytes.byteLength !== count * dim * 4)
      throw rangeError('vectors.f32', `${count * dim * 4} bytes (${count} x ${dim} float32)`, `${bytes.byteLength} bytes`);
    const vectors = new Float32Array(new Uint8Array(bytes).buffer);
    const calibration = json.calibration === undefined ? undefined : Calibration.fromJSON(json.calibration);
    const gallery = new FaceGallery({ dim, metric: checkMetric('gallery.json metric', json.metric), simd: options.simd, calibration });
    let maxId = -1;
    const items = entries.map((e: unknown, i: number) => {
      const entry = e as Partial<Entry> | null;
      if (entry === null || typeof entry !== 'object' || typeof entry.name !== 'string' || !Number.isInteger(entry.id))
        throw rangeError(`gallery.json entries[${i}]`, 'an object with a numeric id and a name', e);
      if (entry.meta !== undefined && (entry.meta === null || typeof entry.meta !== 'object' || Array.isArray(entry.meta)))
        throw rangeError(`gallery.json entries[${i}].meta`, 'an object', entry.meta);
      maxId = Math.max(maxId, entry.id as number);
      return { name: entry.name, descriptor: vectors.subarray(i * dim, (i + 1) * dim), meta: entry.meta === undefined ? undefined : { ...entry.meta } };
    });
    gallery.addMany(items);
    // Keep the saved ids (addMany numbered them afresh).
    entries.forEach((e: unknown, i: number) => {
      (gallery.entries[i] as Entry).id = (e as Entry).id;
    });
    const nextId = typeof json.nextId === 'number' && Number.isInteger(json.nextId) ? json.nextId : 0;
    gallery.nextId = Math.max(nextId, maxId + 1);
    return gallery;
  }

  private hit(position: number, d: number, rank: number, metric: Metric): SearchHit {
    const e = this.entries[position] as Entry;
    const hit: SearchHit = { rank, name: e.name, id: e.id, distance: d, similarity: metric === 'cosine' ? 1 - d : 1 / (1 + d) };
    if (this.calibration?.metric === metric) hit.probability = this.calibration.probability(d);
    if (e.meta !== undefined) hit.meta = e.meta;
    return hit;
  }

  private checkVector(name: string, v: ArrayLike<number>): Float32Array {
    if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') throw typeError(name, `an array of ${this.dim} numbers`, v);
    if (v.length !== this.dim) throw rangeError(`${name}.length`, `${this.dim} (the gallery's dim)`, v.length);
    const out = Float32Array.from(v as ArrayLike<number>);
    for (let j = 0; j < out.length; j++) if (!Number.isFinite(out[j] as number)) throw rangeError(`${name}[${j}]`, 'a finite number', v[j]);
    return out;
  }
}

/** Distance between two vectors: Euclidean or 1 - cosine (1 when either is all zeros). */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>, metric: Metric): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    const x = a[j] as number;
    const y = b[j] as number;
    if (metric === 'l2') s += (x - y) * (x - y);
    else {
      s += x * y;
      na += x * x;
      nb += y * y;
    }
  }
  if (metric === 'l2') return Math.sqrt(s);
  const denom = Math.sqrt(na * nb);
  return denom === 0 ? 1 : 1 - s / denom;
}
