import { checkInteger, checkNumber, checkOptions, rangeError } from '@aiffel/core';
import { CsrMatrix } from './csr-matrix.js';
import { FactorModel } from './factor-model.js';
import { assertFiniteFactors } from './finite-factors.js';
import { IdMap } from './id-map.js';
import { seededRandom } from './rng.js';

export interface BPRProgress {
  epoch: number;
  epochs: number;
  /** Share of this epoch's sampled triples already ranked right (x_u . y_i > x_u . y_j). */
  correct: number;
  /** Sampled negatives that were in fact liked and had to be redrawn. */
  skipped: number;
}

export interface BPROptions {
  /** Latent factors. Default 64. */
  factors?: number;
  /** SGD step. Default 0.01. */
  learningRate?: number;
  /** L2 penalty. Default 0.01. */
  regularization?: number;
  /** Epochs; each draws as many (user, liked, other) triples as there are interactions. Default 100. */
  iterations?: number;
  /** Redraw a negative that the user actually liked (a binary search per draw). Default true. */
  verifyNegativeSamples?: boolean;
  seed?: number;
  onProgress?: (p: BPRProgress) => void;
}

const KNOWN = ['factors', 'learningRate', 'regularization', 'iterations', 'verifyNegativeSamples', 'seed', 'onProgress'] as const;

/**
 * Bayesian Personalized Ranking (Rendle et al. 2009) by stochastic gradient ascent on
 * ln sigmoid(x_u . y_i - x_u . y_j) over sampled triples of a user, an item they interacted with
 * and one they did not. Same recommend / similarItems / similarUsers API as ImplicitALS.
 * No item bias term (implicit's BPR adds one).
 */
export class BPR extends FactorModel {
  readonly learningRate: number;
  readonly regularization: number;
  readonly iterations: number;
  readonly verifyNegativeSamples: boolean;
  readonly seed: number;
  private readonly onProgress: ((p: BPRProgress) => void) | undefined;

  constructor(options: BPROptions = {}) {
    checkOptions('BPR options', options, KNOWN);
    super(checkInteger('options.factors', options.factors ?? 64, 1, 4096));
    this.learningRate = checkNumber('options.learningRate', options.learningRate ?? 0.01, (v) => v > 0, 'a positive number');
    this.regularization = checkNumber('options.regularization', options.regularization ?? 0.01, (v) => v >= 0, 'a non-negative number');
    this.iterations = checkInteger('options.iterations', options.iterations ?? 100, 1);
    this.verifyNegativeSamples = options.verifyNegativeSamples ?? true;
    this.seed = checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff);
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw rangeError('options.onProgress', 'a function', options.onProgress);
    this.onProgress = options.onProgress;
  }

  /** Learns from a users x items matrix (any positive value is "interacted"; zeros are ignored). */
  async fit(input: CsrMatrix, maps: { users?: IdMap; items?: IdMap } = {}): Promise<this> {
    if (!(input instanceof CsrMatrix)) throw rangeError('userItems', 'a CsrMatrix', input);
    for (const v of input.data) if (!Number.isFinite(v) || v < 0) throw new RangeError(`userItems must hold finite non-negative values, got ${v}`);
    const m = input.eliminateZeros();
    if (m.nnz === 0) throw new RangeError('userItems must have at least one interaction');
    if (m.cols < 2) throw new RangeError('userItems must have at least two items (BPR ranks one item against another)');
    if (maps.users && maps.users.size !== m.rows) throw rangeError('maps.users.size', `the matrix's ${m.rows} rows`, maps.users.size);
    if (maps.items && maps.items.size !== m.cols) throw rangeError('maps.items.size', `the matrix's ${m.cols} columns`, maps.items.size);
    const f = this.factors;
    const rand = seededRandom(this.seed);
    const x = Float32Array.from({ length: m.rows * f }, () => (rand() - 0.5) / f);
    const y = Float32Array.from({ length: m.cols * f }, () => (rand() - 0.5) / f);
    const userOf = new Int32Array(m.nnz);
    for (let u = 0; u < m.rows; u++) userOf.fill(u, m.indptr[u] as number, m.indptr[u + 1] as number);
    const lr = this.learningRate;
    const reg = this.regularization;
    for (let epoch = 0; epoch < this.iterations; epoch++) {
      let correct = 0;
      let skipped = 0;
      for (let s = 0; s < m.nnz; s++) {
        const t = Math.floor(rand() * m.nnz);
        const u = userOf[t] as number;
        const i = m.indices[t] as number;
        let j = Math.floor(rand() * m.cols);
        if (this.verifyNegativeSamples) {
          let tries = 0;
          while (m.get(u, j) !== 0 && tries++ < 10) j = Math.floor(rand() * m.cols);
          if (m.get(u, j) !== 0) {
            skipped++;
            continue;
          }
        }
        const uo = u * f;
        const io = i * f;
        const jo = j * f;
        let score = 0;
        for (let k = 0; k < f; k++) score += (x[uo + k] as number) * ((y[io + k] as number) - (y[jo + k] as number));
        if (score > 0) correct++;
        const z = 1 / (1 + Math.exp(score));
        for (let k = 0; k < f; k++) {
          const xu = x[uo + k] as number;
          const yi = y[io + k] as number;
          const yj = y[jo + k] as number;
          x[uo + k] = xu + lr * (z * (yi - yj) - reg * xu);
          y[io + k] = yi + lr * (z * xu - reg * yi);
          y[jo + k] = yj + lr * (-z * xu - reg * yj);
        }
      }
      assertFiniteFactors('BPR', epoch + 1, () => `learningRate ${lr} is too large for SGD (0.01-0.1 is usual)`, x, y);
      this.onProgress?.({ epoch: epoch + 1, epochs: this.iterations, correct: correct / Math.max(1, m.nnz - skipped), skipped });
      if (epoch % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    this.userFactors = x;
    this.itemFactors = y;
    this.userItems = m;
    // Copies: the model appends ids on fold-in, and a caller's map shared with another model
    // (or reused for the next fit) must not change under it.
    this.users = maps.users && new IdMap(maps.users.ids());
    this.items = maps.items && new IdMap(maps.items.ids());
    return this;
  }
}
