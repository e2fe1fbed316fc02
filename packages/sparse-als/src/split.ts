import { checkInteger, checkNumber } from '@aiffel/core';
import { CsrMatrix } from './csr-matrix.js';
import { seededRandom } from './rng.js';

function build(m: CsrMatrix, keepInTrain: (t: number) => boolean): { train: CsrMatrix; test: CsrMatrix } {
  const tr: number[][] = [[], [], []];
  const te: number[][] = [[], [], []];
  for (let r = 0; r < m.rows; r++) {
    for (let t = m.indptr[r] as number; t < (m.indptr[r + 1] as number); t++) {
      const dst = keepInTrain(t) ? tr : te;
      (dst[0] as number[]).push(r);
      (dst[1] as number[]).push(m.indices[t] as number);
      (dst[2] as number[]).push(m.data[t] as number);
    }
  }
  const mk = (p: number[][]) => CsrMatrix.fromCoo(m.rows, m.cols, p[0] as number[], p[1] as number[], p[2] as number[]);
  return { train: mk(tr), test: mk(te) };
}

/** Every interaction goes to test with probability testFraction (same shape for both). */
export function randomSplit(m: CsrMatrix, options: { testFraction?: number; seed?: number } = {}): { train: CsrMatrix; test: CsrMatrix } {
  const frac = checkNumber('options.testFraction', options.testFraction ?? 0.2, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  const rand = seededRandom(checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff));
  const toTest = new Uint8Array(m.nnz);
  for (let t = 0; t < m.nnz; t++) toTest[t] = rand() < frac ? 1 : 0;
  return build(m, (t) => toTest[t] === 0);
}

/** For each user with more than k interactions, k random ones go to test (leave-k-out). */
export function leaveKOut(m: CsrMatrix, options: { k?: number; seed?: number } = {}): { train: CsrMatrix; test: CsrMatrix } {
  const k = checkInteger('options.k', options.k ?? 1, 1);
  const rand = seededRandom(checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff));
  const toTest = new Uint8Array(m.nnz);
  for (let r = 0; r < m.rows; r++) {
    const s = m.indptr[r] as number;
    const n = (m.indptr[r + 1] as number) - s;
    if (n <= k) continue;
    const pos = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rand() * (n - i));
      [pos[i], pos[j]] = [pos[j] as number, pos[i] as number];
      toTest[s + (pos[i] as number)] = 1;
    }
  }
  return build(m, (t) => toTest[t] === 0);
}
