import { checkNumber } from '@aiffel/core';
import type { CsrMatrix } from './csr-matrix.js';

/**
 * Re-weightings of a users x items matrix before ALS, as in implicit.nearest_neighbours: they damp
 * heavy users and ubiquitous items so a few huge play counts do not dominate the factors.
 */

/** Per-column document frequencies and the number of rows with any interaction. */
function columnStats(m: CsrMatrix): { df: Float64Array; docs: number } {
  const df = new Float64Array(m.cols);
  for (const c of m.indices) df[c] = (df[c] as number) + 1;
  let docs = 0;
  for (let r = 0; r < m.rows; r++) if ((m.indptr[r + 1] as number) > (m.indptr[r] as number)) docs++;
  return { df, docs };
}

/**
 * Okapi BM25 weighting of each row (a user's items as a document's terms): value * (K1 + 1) /
 * (K1 * (1 - B + B * rowLength / meanRowLength) + value) * idf. Defaults K1 = 100, B = 0.8
 * (implicit's choice for Last.fm play counts).
 */
export function bm25Weight(m: CsrMatrix, options: { K1?: number; B?: number } = {}): CsrMatrix {
  const k1 = checkNumber('options.K1', options.K1 ?? 100, (v) => v > 0, 'a positive number');
  const b = checkNumber('options.B', options.B ?? 0.8, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const { df, docs } = columnStats(m);
  const rowLen = new Float64Array(m.rows);
  let total = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.indptr[r] as number; t < (m.indptr[r + 1] as number); t++) rowLen[r] = (rowLen[r] as number) + (m.data[t] as number);
    total += rowLen[r] as number;
  }
  const avg = total / Math.max(1, docs);
  return m.map((v, r, c) => {
    const idf = Math.log(docs / (1 + (df[c] as number))) > 0 ? Math.log(docs / (1 + (df[c] as number))) : 0;
    const norm = k1 * (1 - b + (b * (rowLen[r] as number)) / (avg || 1));
    return ((v * (k1 + 1)) / (norm + v)) * idf;
  });
}

/** TF-IDF: value * log(rows with any interaction / (1 + rows with the item)), floored at 0. */
export function tfidfWeight(m: CsrMatrix): CsrMatrix {
  const { df, docs } = columnStats(m);
  return m.map((v, _r, c) => v * Math.max(0, Math.log(docs / (1 + (df[c] as number)))));
}

/** log(1 + value / eps): compresses play counts (Hu et al.'s alternative confidence). Default eps = 1. */
export function logWeight(m: CsrMatrix, options: { eps?: number } = {}): CsrMatrix {
  const eps = checkNumber('options.eps', options.eps ?? 1, (v) => v > 0, 'a positive number');
  return m.map((v) => Math.log1p(v / eps));
}
