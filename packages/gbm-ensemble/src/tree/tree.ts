import { rangeError, typeError } from '@aiffel/core';

/**
 * A fitted decision tree in flat arrays. Internal nodes are 0..numLeaves-2; a child index < 0
 * is the leaf ~child. Numeric split: x <= threshold goes left, NaN goes the learned default
 * way. Categorical split: x in the node's category set goes left; anything else (NaN, unseen
 * categories) goes right.
 */
export interface TreeJSON {
  numLeaves: number;
  outputs: number;
  splitFeature: number[];
  threshold: number[];
  thresholdBin: number[];
  defaultLeft: number[];
  categorical: number[];
  /** Per internal node: the category codes that go left (empty for numeric nodes). */
  catValues: number[][];
  /** Per internal node: bitset words over bins of the left categories (training-time only). */
  catBins: number[][];
  left: number[];
  right: number[];
  gain: number[];
  internalCount: number[];
  leafValue: number[];
  leafCount: number[];
  leafWeight: number[];
}

export class Tree {
  readonly numLeaves: number;
  readonly outputs: number;
  readonly splitFeature: Int32Array;
  readonly threshold: Float64Array;
  readonly thresholdBin: Int32Array;
  readonly defaultLeft: Uint8Array;
  readonly categorical: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly gain: Float64Array;
  readonly internalCount: Float64Array;
  readonly leafValue: Float64Array;
  readonly leafCount: Float64Array;
  readonly leafWeight: Float64Array;
  /** Raw category sets as bitsets: node n uses words catOffset[n] .. catOffset[n] + catWords[n]. */
  private readonly catBits: Uint32Array;
  private readonly catOffset: Int32Array;
  private readonly catWords: Int32Array;
  /** Bin-level category sets (8 words per node) for predicting on binned training data. */
  private readonly catBinBits: Uint32Array;
  private readonly catValuesList: number[][];

  constructor(json: TreeJSON) {
    this.numLeaves = json.numLeaves;
    this.outputs = json.outputs;
    const n = json.numLeaves - 1;
    this.splitFeature = Int32Array.from(json.splitFeature);
    this.threshold = Float64Array.from(json.threshold);
    this.thresholdBin = Int32Array.from(json.thresholdBin);
    this.defaultLeft = Uint8Array.from(json.defaultLeft);
    this.categorical = Uint8Array.from(json.categorical);
    this.left = Int32Array.from(json.left);
    this.right = Int32Array.from(json.right);
    this.gain = Float64Array.from(json.gain);
    this.internalCount = Float64Array.from(json.internalCount);
    this.leafValue = Float64Array.from(json.leafValue);
    this.leafCount = Float64Array.from(json.leafCount);
    this.leafWeight = Float64Array.from(json.leafWeight);
    this.catValuesList = json.catValues.map((v) => [...v]);
    this.catOffset = new Int32Array(n);
    this.catWords = new Int32Array(n);
    let words = 0;
    for (let i = 0; i < n; i++) {
      const vals = json.catValues[i] as number[];
      this.catOffset[i] = words;
      const w = vals.length === 0 ? 0 : (Math.max(...vals) >>> 5) + 1;
      this.catWords[i] = w;
      words += w;
    }
    this.catBits = new Uint32Array(words);
    this.catBinBits = new Uint32Array(n * 8);
    for (let i = 0; i < n; i++) {
      for (const v of json.catValues[i] as number[]) {
        const w = (this.catOffset[i] as number) + (v >>> 5);
        this.catBits[w] = (this.catBits[w] as number) | (1 << (v & 31));
      }
      const cb = json.catBins[i] as number[];
      for (let k = 0; k < cb.length && k < 8; k++) this.catBinBits[i * 8 + k] = (cb[k] as number) >>> 0;
    }
  }

  /** Leaf reached by row `r` of a row-major float64 block with `cols` columns. */
  leafOf(x: Float64Array, base: number): number {
    if (this.numLeaves === 1) return 0;
    let node = 0;
    const { splitFeature, threshold, defaultLeft, categorical, left, right } = this;
    while (node >= 0) {
      const v = x[base + (splitFeature[node] as number)] as number;
      let goLeft: boolean;
      if (categorical[node] === 0) {
        goLeft = Number.isNaN(v) ? defaultLeft[node] === 1 : v <= (threshold[node] as number);
      } else {
        const w = v >>> 5;
        // Codes past 2^31 - 1 (never a trained category) must not wrap onto small ones.
        goLeft =
          v >= 0 &&
          v <= 0x7fffffff &&
          v === Math.floor(v) &&
          w < (this.catWords[node] as number) &&
          ((this.catBits[(this.catOffset[node] as number) + w] as number) & (1 << (v & 31))) !== 0;
      }
      node = goLeft ? (left[node] as number) : (right[node] as number);
    }
    return ~node;
  }

  /** The raw category set of internal node n as a bitset over codes (empty for numeric splits). */
  categoryBits(n: number): Uint32Array {
    const at = this.catOffset[n] as number;
    return this.catBits.subarray(at, at + (this.catWords[n] as number));
  }

  /** Whether bin b of internal node `node`'s feature goes left (binned training data). */
  binGoesLeft(node: number, b: number, missingBins: Int32Array): boolean {
    if (this.categorical[node] === 0) {
      const f = this.splitFeature[node] as number;
      return b === missingBins[f] ? this.defaultLeft[node] === 1 : b <= (this.thresholdBin[node] as number);
    }
    return ((this.catBinBits[node * 8 + (b >>> 5)] as number) & (1 << (b & 31))) !== 0;
  }

  /** Category codes that go left at internal node n (empty for numeric splits). */
  catValues(n: number): number[] {
    return this.catValuesList[n] ?? [];
  }

  /** Depth of the deepest leaf. */
  depth(): number {
    const walk = (node: number): number => (node < 0 ? 0 : 1 + Math.max(walk(this.left[node] as number), walk(this.right[node] as number)));
    return this.numLeaves === 1 ? 0 : walk(0);
  }

  toJSON(): TreeJSON {
    const n = this.numLeaves - 1;
    const catBins: number[][] = [];
    for (let i = 0; i < n; i++) catBins.push(this.categorical[i] ? [...this.catBinBits.subarray(i * 8, i * 8 + 8)] : []);
    return {
      numLeaves: this.numLeaves,
      outputs: this.outputs,
      splitFeature: [...this.splitFeature],
      threshold: [...this.threshold].map(finiteOr),
      thresholdBin: [...this.thresholdBin],
      defaultLeft: [...this.defaultLeft],
      categorical: [...this.categorical],
      catValues: this.catValuesList.map((v) => [...v]),
      catBins,
      left: [...this.left],
      right: [...this.right],
      gain: [...this.gain],
      internalCount: [...this.internalCount],
      leafValue: [...this.leafValue],
      leafCount: [...this.leafCount],
      leafWeight: [...this.leafWeight],
    };
  }

  /** Rebuilds a tree from JSON, checking every index so a hostile file cannot loop or read out of range. */
  static fromJSON(json: unknown, cols: number, where = 'tree'): Tree {
    if (json === null || typeof json !== 'object') throw typeError(where, 'a tree object', json);
    const t = json as TreeJSON;
    const L = t.numLeaves;
    if (!Number.isInteger(L) || L < 1 || L > 1 << 24) throw rangeError(`${where}.numLeaves`, 'an integer in [1, 2^24]', L);
    if (!Number.isInteger(t.outputs) || t.outputs < 1 || t.outputs > 1 << 16) throw rangeError(`${where}.outputs`, 'a positive integer', t.outputs);
    const n = L - 1;
    const arrays: [keyof TreeJSON, number][] = [
      ['splitFeature', n],
      ['threshold', n],
      ['thresholdBin', n],
      ['defaultLeft', n],
      ['categorical', n],
      ['catValues', n],
      ['catBins', n],
      ['left', n],
      ['right', n],
      ['gain', n],
      ['internalCount', n],
      ['leafValue', L * t.outputs],
      ['leafCount', L],
      ['leafWeight', L],
    ];
    for (const [k, len] of arrays) {
      const a = t[k] as unknown;
      if (!Array.isArray(a) || a.length !== len) throw rangeError(`${where}.${k}`, `an array of length ${len}`, a);
    }
    for (let i = 0; i < n; i++) {
      const f = t.splitFeature[i];
      if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= cols)
        throw rangeError(`${where}.splitFeature[${i}]`, `a feature index in [0, ${cols - 1}]`, f);
      for (const side of ['left', 'right'] as const) {
        const c = t[side][i] as number;
        // Children point forward (c > i) or to a leaf, so traversal always terminates.
        if (!Number.isInteger(c) || (c >= 0 && (c <= i || c >= n)) || (c < 0 && ~c >= L))
          throw rangeError(`${where}.${side}[${i}]`, 'a later node or a leaf', c);
      }
      // null is how toJSON writes +Infinity; anything else that is not a number ("abc") would
      // compare false against every value and silently send all rows one way.
      const th = t.threshold[i] as unknown;
      if (th !== null && (typeof th !== 'number' || Number.isNaN(th))) throw rangeError(`${where}.threshold[${i}]`, 'a number (or null for +Infinity)', th);
      const tb = t.thresholdBin[i] as unknown;
      if (!Number.isInteger(tb) || (tb as number) < 0) throw rangeError(`${where}.thresholdBin[${i}]`, 'a non-negative integer', tb);
      for (const flag of ['defaultLeft', 'categorical'] as const) {
        const v = t[flag][i] as unknown;
        if (v !== 0 && v !== 1 && v !== true && v !== false) throw rangeError(`${where}.${flag}[${i}]`, '0 or 1', v);
      }
      const cv = t.catValues[i];
      if (!Array.isArray(cv) || cv.some((v) => !Number.isInteger(v) || v < 0 || v > 1 << 24))
        throw rangeError(`${where}.catValues[${i}]`, 'category codes in [0, 2^24]', cv);
    }
    for (const v of t.leafValue) if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`${where}.leafValue`, 'finite numbers', v);
    return new Tree({ ...t, threshold: t.threshold.map((v) => (v === null ? Number.POSITIVE_INFINITY : v)) });
  }
}

function finiteOr(v: number): number {
  // JSON has no Infinity; null stands for it and is restored by fromJSON.
  return Number.isFinite(v) ? v : (null as unknown as number);
}
