import { readFile } from 'node:fs/promises';
import { checkInteger, checkNumber, checkOptions, rangeError, writeFileAtomic } from '@aiffel/core';
import { exactSystem, type HalfStep } from './als-solvers.js';
import { pack, unpack } from './binary-io.js';
import { CsrMatrix } from './csr-matrix.js';
import { FactorModel, type Recommendation, type RecommendOptions } from './factor-model.js';
import { assertFiniteFactors } from './finite-factors.js';
import { type Id, IdMap } from './id-map.js';
import { choleskySolve, gramPlusRidge } from './linalg.js';
import { factorsToCsv, fromNpy, toNpy } from './npy.js';
import { parallelFor, shared, usableThreads } from './parallel/pool.js';
import { seededRandom } from './rng.js';
import { readSparkAls, writeSparkAls } from './spark-model.js';
import { cgEngine } from './wasm/cg-engine.js';

// Tells one fit's matrix blocks staged in wasm memory from another's (see HalfStep.fit).
let nextFitId = 1;

export interface ALSProgress {
  iteration: number;
  iterations: number;
  seconds: number;
  /** Weighted squared error plus the ridge term, normalised as implicit does; only with calculateTrainingLoss. */
  loss?: number;
}

export interface ImplicitALSOptions {
  /** Latent factors per user and item. Default 64. */
  factors?: number;
  /** Ridge penalty lambda. Default 0.01. */
  regularization?: number;
  /**
   * Confidence c = 1 + alpha * r (Hu et al.). Default 1 (implicit's default too): on Last.fm and
   * MovieLens, with bm25Weight or raw counts, it beats the paper's 40 by 2-17x in held-out
   * precision@10, and 40 loses to the popularity baseline on Last.fm (README, Defaults).
   */
  alpha?: number;
  /** Alternating sweeps (users then items). Default 15. */
  iterations?: number;
  /** 'cg' (default; conjugate gradient from the previous factors, cgSteps steps) or 'cholesky' (exact). */
  solver?: 'cg' | 'cholesky';
  /** CG steps per row and sweep. Default 3. */
  cgSteps?: number;
  /** Seed of the initial factors. Default 0. */
  seed?: number;
  /** Compute the training loss after every iteration (costs one extra pass). Default false. */
  calculateTrainingLoss?: boolean;
  /** Worker threads: 'auto' (default, every core) or a count. Users (and items) are split by interaction count. */
  threads?: number | 'auto';
  onProgress?: (p: ALSProgress) => void;
}

const KNOWN = ['factors', 'regularization', 'alpha', 'iterations', 'solver', 'cgSteps', 'seed', 'calculateTrainingLoss', 'threads', 'onProgress'] as const;

/** A user's interactions for fold-in: item ids (or indices) and their raw values (default 1 each). */
export interface Interactions {
  items: readonly Id[];
  values?: readonly number[];
}

/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren and Volinsky
 * 2008), with implicit's conjugate-gradient solver or exact Cholesky solves. The model keeps the
 * interactions it was fitted on, so recommend() filters a user's items without being handed the
 * matrix again, and always returns exactly n items when n candidates remain.
 */
export class ImplicitALS extends FactorModel {
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly solver: 'cg' | 'cholesky';
  readonly cgSteps: number;
  readonly seed: number;
  private readonly calculateTrainingLoss: boolean;
  readonly threads: number | 'auto';
  private readonly onProgress: ((p: ALSProgress) => void) | undefined;
  /** Loss after each iteration when calculateTrainingLoss was set. */
  lossHistory: number[] = [];
  // Names this fit's matrix blocks staged in wasm memory, so no thread reuses another fit's rows.
  private fitId = 0;
  private gramCache: { items: Float32Array; gram: Float64Array } | undefined;

  constructor(options: ImplicitALSOptions = {}) {
    checkOptions('ImplicitALS options', options, KNOWN);
    super(checkInteger('options.factors', options.factors ?? 64, 1, 4096));
    this.regularization = checkNumber('options.regularization', options.regularization ?? 0.01, (v) => v >= 0, 'a non-negative number');
    this.alpha = checkNumber('options.alpha', options.alpha ?? 1, (v) => v >= 0, 'a non-negative number');
    this.iterations = checkInteger('options.iterations', options.iterations ?? 15, 1);
    const solver = options.solver ?? 'cg';
    if (solver !== 'cg' && solver !== 'cholesky') throw rangeError('options.solver', "'cg' or 'cholesky'", solver);
    this.solver = solver;
    this.cgSteps = checkInteger('options.cgSteps', options.cgSteps ?? 3, 1);
    this.seed = checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff);
    this.calculateTrainingLoss = options.calculateTrainingLoss ?? false;
    this.threads = options.threads === undefined || options.threads === 'auto' ? 'auto' : checkInteger('options.threads', options.threads, 1, 256);
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw rangeError('options.onProgress', 'a function', options.onProgress);
    this.onProgress = options.onProgress;
  }

  /**
   * Factorises a users x items matrix of raw interaction strengths (play counts, ratings; zero is
   * "no interaction"). Values must be finite and non-negative. `users` / `items` maps let every
   * method take and return your own ids.
   */
  async fit(input: CsrMatrix, maps: { users?: IdMap; items?: IdMap } = {}): Promise<this> {
    checkInteractions(input, 'userItems');
    const userItems = input.eliminateZeros();
    if (maps.users && maps.users.size !== userItems.rows) throw rangeError('maps.users.size', `the matrix's ${userItems.rows} rows`, maps.users.size);
    if (maps.items && maps.items.size !== userItems.cols) throw rangeError('maps.items.size', `the matrix's ${userItems.cols} columns`, maps.items.size);
    const f = this.factors;
    const threads = usableThreads(this.threads);
    const rand = seededRandom(this.seed);
    // Small random factors, as implicit: the first half-step then starts from a sensible scale.
    const users = shared(
      Float32Array.from({ length: userItems.rows * f }, () => (rand() - 0.5) * 0.01),
      threads,
    );
    const items = shared(
      Float32Array.from({ length: userItems.cols * f }, () => (rand() - 0.5) * 0.01),
      threads,
    );
    const share = (m: CsrMatrix) => new CsrMatrix(m.rows, m.cols, shared(m.indptr, threads), shared(m.indices, threads), shared(m.data, threads));
    const byUser = share(userItems);
    const byItem = share(userItems.transpose());
    this.fitId = nextFitId++;
    const t0 = performance.now();
    this.lossHistory = [];
    for (let it = 0; it < this.iterations; it++) {
      await this.halfStep(byUser, items, users, threads, 'users');
      await this.halfStep(byItem, users, items, threads, 'items');
      assertFiniteFactors(
        'ImplicitALS',
        it + 1,
        () =>
          `confidences 1 + alpha x value (alpha ${this.alpha}, largest value ${userItems.data.reduce((m, v) => Math.max(m, v), 0)}) overflow float32; use a smaller alpha, or bm25Weight / logWeight on raw counts`,
        users,
        items,
      );
      let loss: number | undefined;
      if (this.calculateTrainingLoss) {
        loss = trainingLoss(userItems, users, items, f, this.alpha, this.regularization);
        this.lossHistory.push(loss);
      }
      this.onProgress?.({ iteration: it + 1, iterations: this.iterations, seconds: (performance.now() - t0) / 1000, loss });
      // Yield between iterations so a caller's progress bar and timers keep running.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.userFactors = users;
    this.itemFactors = items;
    this.userItems = userItems;
    // Copies: the model appends ids on fold-in, and a caller's map shared with another model
    // (or reused for the next fit) must not change under it.
    this.users = maps.users && new IdMap(maps.users.ids());
    this.items = maps.items && new IdMap(maps.items.ids());
    return this;
  }

  private async halfStep(m: CsrMatrix, other: Float32Array, factors: Float32Array, threads: number, side: 'users' | 'items'): Promise<void> {
    const f = this.factors;
    const partials = shared(new Float64Array(threads * f * f), threads);
    await parallelFor('gramRows', { factors: other, f, out: partials, simd: cgEngine() ? 1 : 0 }, m.cols, threads);
    const step: HalfStep = {
      indptr: m.indptr,
      indices: m.indices,
      data: m.data,
      alpha: this.alpha,
      other,
      gram: shared(gramPlusRidge(other, m.cols, f, this.regularization, partials, threads), threads),
      factors,
      f,
      cgSteps: this.cgSteps,
      simd: cgEngine() ? 1 : 0,
      block: side,
      fit: this.fitId,
    };
    await parallelFor(this.solver === 'cg' ? 'cgRows' : 'choleskyRows', step, m.rows, threads, m.indptr);
  }

  /** Recommendations for someone who is not in the model, from their interactions (folded in, not stored). */
  recommendFor(interactions: Interactions, options: RecommendOptions = {}): Recommendation[] {
    this.need('recommendFor');
    const row = this.interactionRow(interactions);
    return this.rank(this.solveRow(row), row.indices, options);
  }

  /**
   * Why `item` is recommended to `user` (Hu et al., section 5): with W_u = Y^T Y + reg I +
   * sum (c - 1) y y^T, the score y_i^T W_u^-1 sum_j c_uj y_j splits into one term per liked item j,
   * c_uj y_i^T W_u^-1 y_j. Returns the score (that of the exact least-squares user vector, i.e.
   * of recalculateUser) and the contributions, largest first.
   */
  explain(user: Id, item: Id, options: { n?: number } = {}): { score: number; contributions: { id: Id; index: number; contribution: number }[] } {
    const m = this.need('explain');
    checkOptions('explain options', options, ['n']);
    const u = this.userIndex(user);
    const i = this.itemIndex(item);
    const f = this.factors;
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    exactSystem(this.systemFor(m), u, a, b);
    const w = Float64Array.from(this.itemFactors.subarray(i * f, (i + 1) * f));
    if (!choleskySolve(a, w, f)) throw new RangeError('the user system is not positive definite; use regularization > 0');
    const { indices, values } = m.row(u);
    const contributions = Array.from(indices, (j, k) => {
      let s = 0;
      for (let q = 0; q < f; q++) s += (w[q] as number) * (this.itemFactors[j * f + q] as number);
      return { id: this.itemId(j), index: j, contribution: (1 + this.alpha * (values[k] as number)) * s };
    });
    const score = contributions.reduce((s, c) => s + c.contribution, 0);
    contributions.sort((p, q) => q.contribution - p.contribution || p.index - q.index);
    const n = options.n === undefined ? contributions.length : checkInteger('options.n', options.n, 0);
    return { score, contributions: contributions.slice(0, n) };
  }

  private systemFor(m: CsrMatrix) {
    // Y^T Y + reg I costs items x f^2 (0.6 G multiply-adds at last.fm scale): computed once per
    // item factor array, not once per explained or folded-in user. Item factors are replaced,
    // never edited in place, so the array's identity says whether the cache still holds.
    if (this.gramCache?.items !== this.itemFactors) {
      this.gramCache = {
        items: this.itemFactors,
        gram: gramPlusRidge(this.itemFactors, this.itemFactors.length / this.factors, this.factors, this.regularization),
      };
    }
    return { indptr: m.indptr, indices: m.indices, data: m.data, alpha: this.alpha, other: this.itemFactors, gram: this.gramCache.gram, f: this.factors };
  }

  private interactionRow(interactions: Interactions): { indices: Int32Array; values: Float32Array } {
    if (interactions === null || typeof interactions !== 'object' || !Array.isArray(interactions.items))
      throw rangeError('interactions', '{ items: ids[], values?: numbers[] }', interactions);
    const values = interactions.values ?? interactions.items.map(() => 1);
    if (values.length !== interactions.items.length)
      throw rangeError('interactions.values.length', `items.length = ${interactions.items.length}`, values.length);
    const idx = interactions.items.map((it) => this.itemIndex(it, 'interactions.items[]'));
    const row = CsrMatrix.fromCoo(1, this.itemFactors.length / this.factors, new Array(idx.length).fill(0), idx, values);
    checkInteractions(row, 'interactions');
    return row.eliminateZeros().row(0);
  }

  /** The exact factor vector of a user with these interactions, against the current item factors (fold-in). */
  recalculateUser(interactions: Interactions): Float32Array {
    this.need('recalculateUser');
    return this.solveRow(this.interactionRow(interactions));
  }

  /** The exact least-squares factors for one validated interaction row. */
  private solveRow({ indices, values }: { indices: Int32Array; values: Float32Array }): Float32Array {
    const f = this.factors;
    const row = new CsrMatrix(1, this.itemFactors.length / f, Int32Array.of(0, indices.length), indices, values);
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    exactSystem(this.systemFor(row), 0, a, b);
    if (!choleskySolve(a, b, f)) throw new RangeError('the user system is not positive definite; use regularization > 0');
    return Float32Array.from(b);
  }

  /**
   * Folds new or changed users in without retraining: each gets the exact solution against the
   * current item factors, and their interactions replace (or extend) the stored ones. New ids are
   * appended to the users map.
   */
  partialFitUsers(users: readonly Id[], interactions: readonly Interactions[]): this {
    const m = this.need('partialFitUsers');
    if (!Array.isArray(users) || !Array.isArray(interactions) || users.length !== interactions.length)
      throw rangeError('interactions', `an array with one entry per user (${users?.length})`, interactions);
    // Two rows for one user would both be solved and the later silently win; say which repeats.
    const firstAt = new Map<Id, number>();
    users.forEach((u, i) => {
      const j = firstAt.get(u);
      if (j !== undefined) throw rangeError(`users[${i}]`, `a user not listed before (it repeats users[${j}])`, u);
      firstAt.set(u, i);
    });
    if (!this.users && users.some((u) => typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u > m.rows))
      throw rangeError('users', 'existing indices, or m.rows for a new one, when the model has no users map', users);
    const solved = interactions.map((x) => {
      const row = this.interactionRow(x);
      return { x: this.solveRow(row), row };
    });
    const f = this.factors;
    const index = users.map((u) => (this.users ? this.users.add(u) : (u as number)));
    const rows = Math.max(m.rows, ...index.map((i) => i + 1));
    const factors = new Float32Array(rows * f);
    factors.set(this.userFactors);
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    const replaced = new Set(index);
    for (let u = 0; u < m.rows; u++) {
      if (replaced.has(u)) continue;
      const row = m.row(u);
      row.indices.forEach((i, k) => {
        r.push(u);
        c.push(i);
        v.push(row.values[k] as number);
      });
    }
    index.forEach((u, k) => {
      const s = solved[k] as { x: Float32Array; row: { indices: Int32Array; values: Float32Array } };
      factors.set(s.x, u * f);
      s.row.indices.forEach((i, t) => {
        r.push(u);
        c.push(i);
        v.push(s.row.values[t] as number);
      });
    });
    this.userFactors = factors;
    this.userItems = CsrMatrix.fromCoo(rows, m.cols, r, c, v);
    return this;
  }

  /** Folds new or changed items in against the current user factors (the item-side twin of partialFitUsers). */
  partialFitItems(items: readonly Id[], interactions: readonly { users: readonly Id[]; values?: readonly number[] }[]): this {
    const m = this.need('partialFitItems');
    if (!Array.isArray(items) || !Array.isArray(interactions) || items.length !== interactions.length)
      throw rangeError('interactions', `an array with one entry per item (${items?.length})`, interactions);
    // Swap roles: a model over the transposed matrix folds users in, which are our items.
    const swapped = new ImplicitALS({ factors: this.factors, regularization: this.regularization, alpha: this.alpha, solver: 'cholesky', threads: 1 });
    swapped.userItems = m.transpose();
    swapped.userFactors = this.itemFactors;
    swapped.itemFactors = this.userFactors;
    swapped.users = this.items;
    swapped.items = this.users;
    swapped.partialFitUsers(
      items,
      interactions.map((x) => ({ items: x.users, values: x.values })),
    );
    this.itemFactors = swapped.userFactors;
    this.userItems = (swapped.userItems as CsrMatrix).transpose();
    this.items = swapped.users;
    return this;
  }

  /** The model as bytes: versioned binary with the options, id maps, factors and the fitted interactions. */
  toBytes(): Buffer {
    const m = this.need('toBytes');
    return pack(
      'ImplicitALS',
      {
        version: 1,
        factors: this.factors,
        regularization: this.regularization,
        alpha: this.alpha,
        iterations: this.iterations,
        solver: this.solver,
        cgSteps: this.cgSteps,
        seed: this.seed,
        rows: m.rows,
        cols: m.cols,
        users: this.users?.toJSON() ?? null,
        items: this.items?.toJSON() ?? null,
      },
      [this.userFactors, this.itemFactors, m.indptr, m.indices, m.data],
    );
  }

  /** A model from toBytes(); sizes, ids and values are all checked. */
  static fromBytes(buf: Uint8Array): ImplicitALS {
    const { header: h, arrays } = unpack(buf, 'ImplicitALS');
    if (h.version !== 1) throw new RangeError(`ImplicitALS file version must be 1, got ${String(h.version)}`);
    const model = new ImplicitALS({
      factors: h.factors as number,
      regularization: h.regularization as number,
      alpha: h.alpha as number,
      iterations: h.iterations as number,
      solver: h.solver as 'cg' | 'cholesky',
      cgSteps: h.cgSteps as number,
      seed: h.seed as number,
    });
    const rows = checkInteger('file rows', h.rows, 0, 2 ** 31 - 1);
    const cols = checkInteger('file cols', h.cols, 0, 2 ** 31 - 1);
    const [uf, itf, indptr, indices, data] = arrays as [Float32Array, Float32Array, Int32Array, Int32Array, Float32Array];
    if (!(uf instanceof Float32Array) || uf.length !== rows * model.factors)
      throw new RangeError(`ImplicitALS file user factors must hold ${rows} x ${model.factors} floats`);
    if (!(itf instanceof Float32Array) || itf.length !== cols * model.factors)
      throw new RangeError(`ImplicitALS file item factors must hold ${cols} x ${model.factors} floats`);
    for (const v of uf) if (!Number.isFinite(v)) throw new RangeError('ImplicitALS file user factors must be finite');
    for (const v of itf) if (!Number.isFinite(v)) throw new RangeError('ImplicitALS file item factors must be finite');
    model.userItems = new CsrMatrix(rows, cols, indptr, indices, data);
    model.userFactors = uf;
    model.itemFactors = itf;
    if (h.users !== null) model.users = IdMap.fromJSON(h.users);
    if (h.items !== null) model.items = IdMap.fromJSON(h.items);
    if (model.users && model.users.size !== rows) throw new RangeError(`ImplicitALS file users map must have ${rows} ids`);
    if (model.items && model.items.size !== cols) throw new RangeError(`ImplicitALS file items map must have ${cols} ids`);
    return model;
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, this.toBytes());
  }

  static async load(path: string): Promise<ImplicitALS> {
    return ImplicitALS.fromBytes(await readFile(path));
  }

  /** The factors as .npy files' bytes (float32, C order): what numpy, implicit and Spark-side tooling read. */
  exportNpy(): { users: Buffer; items: Buffer } {
    const m = this.need('exportNpy');
    return { users: toNpy(this.userFactors, m.rows, this.factors), items: toNpy(this.itemFactors, m.cols, this.factors) };
  }

  /** The factors as CSV (`id,f0,...`), ids from the maps or indices. */
  exportCsv(): { users: string; items: string } {
    const m = this.need('exportCsv');
    const ids = (map: IdMap | undefined, n: number) => map?.ids() ?? Array.from({ length: n }, (_, i) => i);
    return {
      users: factorsToCsv(ids(this.users, m.rows), this.userFactors, this.factors),
      items: factorsToCsv(ids(this.items, m.cols), this.itemFactors, this.factors),
    };
  }

  /**
   * A model trained by Spark MLlib's ALS, read from its save directory (`model.write().save(dir)`:
   * `metadata/` and the `userFactors` / `itemFactors` Parquet parts). Spark does not save the
   * ratings, alpha or regParam: `interactions` (Spark ids) gives what recommend() filters and
   * explain / fold-in use (default: the `interactions/` folder exportParquet writes, if present),
   * `alpha` (default 1) and `regularization` (default 0.1, Spark's regParam default) what explain
   * and fold-in use. Users and items are in ascending id order.
   */
  static async fromSparkModel(
    dir: string,
    options: {
      interactions?: { users: ArrayLike<number>; items: ArrayLike<number>; values?: ArrayLike<number> };
      alpha?: number;
      regularization?: number;
    } = {},
  ): Promise<ImplicitALS> {
    checkOptions('fromSparkModel options', options, ['interactions', 'alpha', 'regularization']);
    if (typeof dir !== 'string' || dir === '') throw rangeError('dir', 'a folder path', dir);
    const f = await readSparkAls(dir);
    const index = (ids: number[]) => new Map(ids.map((id, i) => [id, i]));
    const userIndex = index(f.users.ids);
    const itemIndex = index(f.items.ids);
    const x = options.interactions ?? f.interactions;
    let userItems: CsrMatrix | undefined;
    if (x) {
      if (x.users?.length !== x.items?.length || (x.values !== undefined && x.values.length !== x.users.length))
        throw rangeError('options.interactions', 'users, items (and values) of one length', x);
      const at = (map: Map<number, number>, id: number, what: string, k: number) => {
        const i = map.get(id);
        if (i === undefined)
          throw new RangeError(`options.interactions.${what}[${k}] = ${id} is not in the model's ${what === 'users' ? 'userFactors' : 'itemFactors'}`);
        return i;
      };
      userItems = CsrMatrix.fromCoo(
        f.users.ids.length,
        f.items.ids.length,
        Array.from(x.users, (id, k) => at(userIndex, id, 'users', k)),
        Array.from(x.items, (id, k) => at(itemIndex, id, 'items', k)),
        x.values,
      );
      checkInteractions(userItems, 'options.interactions');
    }
    const named = (ids: number[], names: Map<number, string> | undefined) => new IdMap(ids.map((id) => names?.get(id) ?? id));
    return ImplicitALS.fromFactors(
      { data: f.users.data, rows: f.users.ids.length, cols: f.rank },
      { data: f.items.data, rows: f.items.ids.length, cols: f.rank },
      {
        userItems,
        users: named(f.users.ids, f.userNames),
        items: named(f.items.ids, f.itemNames),
        alpha: options.alpha,
        regularization: options.regularization ?? 0.1,
      },
    );
  }

  /**
   * Writes the model in Spark MLlib's ALSModel layout (Spark's `ALSModel.load(dir)` reads it), with
   * the interactions as `interactions/` (user, item, rating) Parquet. Ids that are int32 integers
   * are Spark's ids; otherwise the factors are numbered 0.. and `userIds/` / `itemIds/` (id, name)
   * keep the original ids, which fromSparkModel restores. Refuses an existing `dir` unless
   * `overwrite`; a failure leaves no partial folder.
   */
  async exportParquet(dir: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const m = this.need('exportParquet');
    checkOptions('exportParquet options', options, ['overwrite']);
    if (typeof dir !== 'string' || dir === '') throw rangeError('dir', 'a folder path', dir);
    const sparkIds = (map: IdMap | undefined, n: number) => {
      const ids = map?.ids() ?? Array.from({ length: n }, (_, i) => i);
      const ints = ids.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= -(2 ** 31) && id < 2 ** 31);
      return ints ? { ids: ids as number[] } : { ids: ids.map((_, i) => i), names: ids.map(String) };
    };
    const u = sparkIds(this.users, m.rows);
    const it = sparkIds(this.items, m.cols);
    const rowOf = new Int32Array(m.nnz);
    for (let r = 0; r < m.rows; r++) rowOf.fill(u.ids[r] as number, m.indptr[r] as number, m.indptr[r + 1] as number);
    await writeSparkAls(
      dir,
      {
        rank: this.factors,
        users: { ids: u.ids, data: this.userFactors },
        items: { ids: it.ids, data: this.itemFactors },
        userNames: u.names,
        itemNames: it.names,
        interactions: { users: rowOf, items: Int32Array.from(m.indices, (c) => it.ids[c] as number), values: m.data },
      },
      options,
    );
  }

  /**
   * A model from factors trained elsewhere (implicit's user_factors / item_factors saved with
   * numpy.save, Spark ALS, ...): .npy bytes or float32 arrays. `userItems` (optional) gives the
   * interactions recommend() filters; `alpha` and `regularization` are used by explain and fold-in.
   */
  static fromFactors(
    users: Uint8Array | { data: Float32Array; rows: number; cols: number },
    items: Uint8Array | { data: Float32Array; rows: number; cols: number },
    options: { userItems?: CsrMatrix; users?: IdMap; items?: IdMap; alpha?: number; regularization?: number } = {},
  ): ImplicitALS {
    const u = users instanceof Uint8Array ? fromNpy(users) : users;
    const i = items instanceof Uint8Array ? fromNpy(items) : items;
    if (u.cols !== i.cols) throw rangeError('items', `${u.cols} factors like users`, `${i.cols} factors`);
    const model = new ImplicitALS({ factors: u.cols, alpha: options.alpha, regularization: options.regularization });
    const ui = options.userItems ?? new CsrMatrix(u.rows, i.rows, new Int32Array(u.rows + 1), new Int32Array(0), new Float32Array(0));
    if (ui.rows !== u.rows || ui.cols !== i.rows) throw rangeError('options.userItems', `a ${u.rows} x ${i.rows} matrix`, `${ui.rows} x ${ui.cols}`);
    if (options.users && options.users.size !== u.rows) throw rangeError('options.users.size', String(u.rows), options.users.size);
    if (options.items && options.items.size !== i.rows) throw rangeError('options.items.size', String(i.rows), options.items.size);
    model.userFactors = u.data;
    model.itemFactors = i.data;
    model.userItems = ui;
    model.users = options.users;
    model.items = options.items;
    return model;
  }
}

/** Values must be finite and non-negative: a confidence cannot be below 1. */
function checkInteractions(m: CsrMatrix, name: string): void {
  if (!(m instanceof CsrMatrix)) throw rangeError(name, 'a CsrMatrix', m);
  for (let t = 0; t < m.data.length; t++) {
    const v = m.data[t] as number;
    if (!Number.isFinite(v) || v < 0) {
      let r = 0;
      while ((m.indptr[r + 1] as number) <= t) r++;
      throw new RangeError(`${name} must hold finite non-negative values, got ${v} at row ${r}, column ${m.indices[t]}`);
    }
  }
}

/**
 * sum over all (u, i) of c_ui (p_ui - x_u . y_i)^2 + reg (|X|^2 + |Y|^2), normalised by
 * sum c + users x items - nnz as implicit reports it; zero cells cost x_u^T (Y^T Y) x_u in total.
 */
export function trainingLoss(m: CsrMatrix, users: Float32Array, items: Float32Array, f: number, alpha: number, reg: number): number {
  const yty = gramPlusRidge(items, m.cols, f, 0);
  let loss = 0;
  let totalConfidence = 0;
  const x = new Float64Array(f);
  for (let u = 0; u < m.rows; u++) {
    for (let k = 0; k < f; k++) x[k] = users[u * f + k] as number;
    let quad = 0;
    for (let p = 0; p < f; p++) {
      let s = 0;
      for (let q = 0; q < f; q++) s += (yty[p * f + q] as number) * (x[q] as number);
      quad += (x[p] as number) * s;
    }
    loss += quad;
    for (let t = m.indptr[u] as number; t < (m.indptr[u + 1] as number); t++) {
      const i = m.indices[t] as number;
      const c = 1 + alpha * (m.data[t] as number);
      let s = 0;
      for (let k = 0; k < f; k++) s += (x[k] as number) * (items[i * f + k] as number);
      loss += c * (1 - s) ** 2 - s * s;
      totalConfidence += c;
    }
  }
  let norms = 0;
  for (const v of users) norms += v * v;
  for (const v of items) norms += v * v;
  loss += reg * norms;
  return loss / (totalConfidence + m.rows * m.cols - m.nnz);
}
