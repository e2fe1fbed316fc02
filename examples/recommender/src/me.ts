import { existsSync, readFileSync, statSync } from 'node:fs';
import { CsrMatrix } from '@aiffel/sparse-als';
import { normalizeName } from './interactions.js';
import type { Signal } from './model-search.js';

export interface MeEntry {
  name: string;
  count: number;
}

const ENTRY = /^(.*\S)\s*[:\t]\s*([0-9]+(?:\.[0-9]+)?)$/;

/**
 * `--me "coldplay:120,radiohead:50"` or `--me FILE` (one `name:count` or `name<TAB>count` per
 * line). Names may hold commas ("Crosby, Stills, Nash & Young:30"): pieces are joined until one
 * ends in `:count`.
 */
export function parseMe(value: string): MeEntry[] {
  const fromFile = existsSync(value) && statSync(value).isFile();
  const pieces = fromFile ? readFileSync(value, 'utf8').split(/\r?\n/) : value.split(',');
  const where = fromFile ? `--me ${value}` : '--me';
  const entries: MeEntry[] = [];
  let pending = '';
  for (const piece of pieces) {
    if (piece.trim() === '' && pending === '') continue;
    const text = pending === '' ? piece : `${pending},${piece}`;
    const m = ENTRY.exec(text.trim());
    if (!m) {
      if (fromFile) throw new RangeError(`${where}: expected "name:count" on each line, got ${JSON.stringify(piece)}`);
      pending = text;
      continue;
    }
    const count = Number(m[2]);
    if (!(count > 0)) throw new RangeError(`${where}: the count of ${JSON.stringify(m[1])} must be positive, got ${m[2]}`);
    entries.push({ name: m[1] as string, count });
    pending = '';
  }
  if (pending !== '') throw new RangeError(`${where}: expected "name:count" entries separated by commas, got ${JSON.stringify(pending.trim())}`);
  if (entries.length === 0) throw new RangeError(`${where}: no "name:count" entries`);
  return entries;
}

/** Item ids for the entries, matched by normalised display name or id; unknown names list the closest known ones. */
export function resolveMe(entries: MeEntry[], itemIds: readonly string[], name: (id: string) => string): { ids: string[]; counts: number[] } {
  const byName = new Map<string, string>();
  for (const id of itemIds) byName.set(normalizeName(id), id);
  for (const id of itemIds) byName.set(normalizeName(name(id)), id);
  const merged = new Map<string, number>();
  for (const e of entries) {
    const key = normalizeName(e.name);
    const id = byName.get(key);
    if (id === undefined) {
      const near = nearest(
        key,
        itemIds.map((i) => name(i)),
      );
      throw new RangeError(
        `--me: no item named ${JSON.stringify(e.name)} in this data${near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?` : ''}`,
      );
    }
    merged.set(id, (merged.get(id) ?? 0) + e.count);
  }
  return { ids: [...merged.keys()], counts: [...merged.values()] };
}

/** Up to five names sharing the most words (of 3 letters or more) with `key`, at least half of them. */
function nearest(key: string, names: string[]): string[] {
  const words = key.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
  if (words.length === 0) return [];
  const scored = names
    .map((n) => {
      const lower = normalizeName(n);
      return { n, hits: words.filter((w) => lower.includes(w)).length };
    })
    .filter((s) => s.hits >= Math.max(1, words.length / 2));
  scored.sort((a, b) => b.hits - a.hits || a.n.length - b.n.length);
  return scored.slice(0, 5).map((s) => s.n);
}

/**
 * The ALS input row for a new person, weighted as the training rows were: the row goes through
 * the same signal, is appended to the training matrix and weighted with it (BM25 needs the
 * column statistics), and comes back out.
 */
export function weightedRow(train: CsrMatrix, signal: Signal, cols: number[], counts: number[]): { indices: Int32Array; values: Float32Array } {
  const raw = signal.signal(CsrMatrix.fromCoo(1, train.cols, new Array(cols.length).fill(0), cols, counts)).row(0);
  const k = raw.indices.length;
  const indptr = new Int32Array(train.rows + 2);
  indptr.set(train.indptr);
  indptr[train.rows + 1] = train.nnz + k;
  const indices = new Int32Array(train.nnz + k);
  indices.set(train.indices);
  indices.set(raw.indices, train.nnz);
  const data = new Float32Array(train.nnz + k);
  data.set(train.data);
  data.set(raw.values, train.nnz);
  const w = signal.weight(new CsrMatrix(train.rows + 1, train.cols, indptr, indices, data)).row(train.rows);
  return { indices: Int32Array.from(w.indices), values: Float32Array.from(w.values) };
}
