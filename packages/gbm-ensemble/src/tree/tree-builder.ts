import type { Rng } from '@aiffel/core';
import type { BinMapper } from '../data/bin-mapper.js';
import type { HistEngine } from './hist-engine.js';
import { BIN_STRIDE, subtractHist } from './histogram.js';
import { findCategoricalSplit, findNumericSplit, leafOutput, type NodeStats, SplitInfo, type SplitParams } from './split-finder.js';
import { Tree, type TreeJSON } from './tree.js';

export interface GrowOptions extends SplitParams {
  numLeaves: number;
  /** -1 for no limit. */
  maxDepth: number;
  /**
   * 'leaf': best gain first (LightGBM); 'depth': level by level (XGBoost depthwise); 'dfs':
   * depth first, for unlimited trees (random forests), so only O(depth) histograms are alive.
   */
  growth: 'leaf' | 'depth' | 'dfs';
  /** Nodes with fewer rows are not split (scikit-learn's min_samples_split; default 2). */
  minSplitCount?: number;
  /** Features tried at each node (random forests' max_features); >= cols means all. */
  featuresPerNode: number;
}

interface Leaf {
  begin: number;
  count: number;
  depth: number;
  stats: NodeStats;
  hist: Float64Array | undefined;
  best: SplitInfo;
  parent: number;
  isLeft: boolean;
}

/**
 * Grows one tree on binned rows from per-row gradients and hessians. Rows of each leaf are a
 * contiguous range of `order`, partitioned in place as leaves split; only the smaller child's
 * histogram is built from rows, the larger one is the parent's minus it.
 */
export class TreeBuilder {
  private readonly pool: Float64Array[] = [];
  private readonly missingBins: Int32Array;
  private readonly scratch: Float64Array;
  private readonly goesLeft = new Uint8Array(256);

  constructor(
    private readonly mappers: BinMapper[],
    private readonly outputs: number,
    private readonly engine: HistEngine,
  ) {
    this.missingBins = Int32Array.from(mappers.map((m) => m.missingBin));
    this.scratch = new Float64Array(outputs);
  }

  /**
   * The engine's `order[0..n)` are the rows in the tree's sample, with their gradients and
   * hessians in the engine's `grad` / `hess`; on return each leaf's rows are the range of `order`
   * given by `leafBegin` / `leafCount` (the caller uses it to update training scores).
   */
  grow(n: number, opts: GrowOptions, activeFeatures: Int32Array, rng: Rng): { tree: Tree; leafBegin: Int32Array; leafCount: Int32Array } {
    const C = this.outputs;
    this.engine.loadGradients();
    const root: Leaf = {
      begin: 0,
      count: n,
      depth: 0,
      stats: { g: new Float64Array(C), h: 0, count: n },
      hist: this.take(),
      best: new SplitInfo(C),
      parent: -1,
      isLeft: true,
    };
    const rootHist = root.hist as Float64Array;
    // A forest node looks at a few random features: it builds only theirs and never subtracts
    // (on 561 features, subtracting and clearing whole histograms was most of a tree's time).
    const sparse = opts.featuresPerNode < activeFeatures.length;
    const rootFeatures = sparse ? this.sample(activeFeatures, opts, rng) : activeFeatures;
    if (sparse) this.engine.buildFeatures(0, n, rootHist, rootFeatures);
    else this.engine.build(0, n, rootHist);
    // Every row is in exactly one bin of any feature, so one feature's bins sum to the node's
    // totals (a pass over the bins instead of over the rows).
    const S = C + 1;
    const f0 = (rootFeatures[0] as number) * BIN_STRIDE * S;
    for (let c = 0; c <= C; c++) {
      let t = 0;
      for (let b = 0; b < BIN_STRIDE; b++) t += rootHist[f0 + b * S + c] as number;
      if (c < C) root.stats.g[c] = t;
      else root.stats.h = t;
    }
    const leaves: Leaf[] = [root];
    this.searchFeatures(root, rootFeatures, opts);
    if (sparse) {
      this.give(rootHist);
      root.hist = undefined;
    }

    const t = emptyJSON(C);
    const maxLeaves = opts.numLeaves;
    const stack: number[] = [0];
    while (leaves.length < maxLeaves) {
      let pick = -1;
      if (opts.growth === 'dfs') {
        while (stack.length > 0 && pick < 0) {
          const i = stack.pop() as number;
          if ((leaves[i] as Leaf).best.gain !== Number.NEGATIVE_INFINITY) pick = i;
        }
      } else
        for (let i = 0; i < leaves.length; i++) {
          const l = leaves[i] as Leaf;
          if (l.best.gain === Number.NEGATIVE_INFINITY) continue;
          if (pick < 0) pick = i;
          else {
            const b = leaves[pick] as Leaf;
            if (opts.growth === 'depth' ? l.depth < b.depth || (l.depth === b.depth && l.best.gain > b.best.gain) : l.best.gain > b.best.gain) pick = i;
          }
        }
      if (pick < 0) break;
      const leaf = leaves[pick] as Leaf;
      const s = leaf.best;
      const node = t.splitFeature.length;
      const mapper = this.mappers[s.feature] as BinMapper;
      t.splitFeature.push(s.feature);
      t.thresholdBin.push(s.thresholdBin);
      t.threshold.push(s.categorical ? 0 : (mapper.bounds[s.thresholdBin] as number));
      t.defaultLeft.push(s.defaultLeft ? 1 : 0);
      t.categorical.push(s.categorical ? 1 : 0);
      const catVals: number[] = [];
      if (s.categorical)
        for (let b = 0; b < mapper.numBins; b++) if ((s.catBins[b >>> 5] as number) & (1 << (b & 31))) catVals.push(mapper.categories[b] as number);
      t.catValues.push(catVals.sort((a, b) => a - b));
      t.catBins.push(s.categorical ? [...s.catBins] : []);
      t.gain.push(s.gain);
      t.internalCount.push(leaf.count);
      const rightIndex = leaves.length;
      t.left.push(~pick);
      t.right.push(~rightIndex);
      if (leaf.parent >= 0) (leaf.isLeft ? t.left : t.right)[leaf.parent] = node;

      const nLeft = this.partition(leaf.begin, leaf.count, s);
      const left: Leaf = {
        begin: leaf.begin,
        count: nLeft,
        depth: leaf.depth + 1,
        stats: { g: Float64Array.from(s.leftG), h: s.leftH, count: nLeft },
        hist: undefined,
        best: new SplitInfo(C),
        parent: node,
        isLeft: true,
      };
      const right: Leaf = {
        begin: leaf.begin + nLeft,
        count: leaf.count - nLeft,
        depth: leaf.depth + 1,
        stats: { g: Float64Array.from(s.rightG), h: s.rightH, count: leaf.count - nLeft },
        hist: undefined,
        best: new SplitInfo(C),
        parent: node,
        isLeft: false,
      };
      const minSplit = Math.max(2 * opts.minChildSamples, opts.minSplitCount ?? 2);
      const canSplit = (l: Leaf): boolean => (opts.maxDepth < 0 || l.depth < opts.maxDepth) && l.count >= minSplit;
      if (sparse) {
        leaves[pick] = left;
        leaves.push(right);
        if (opts.growth === 'dfs') stack.push(rightIndex, pick);
        for (const child of [left, right]) {
          if (!canSplit(child)) {
            child.best.reset();
            continue;
          }
          const feats = this.sample(activeFeatures, opts, rng);
          const h = this.take();
          this.engine.buildFeatures(child.begin, child.begin + child.count, h, feats);
          child.hist = h;
          this.searchFeatures(child, feats, opts);
          this.give(h);
          child.hist = undefined;
        }
        continue;
      }
      const parentHist = leaf.hist as Float64Array;
      const small = left.count <= right.count ? left : right;
      const large = small === left ? right : left;
      if (canSplit(left) || canSplit(right)) {
        small.hist = this.take();
        this.engine.build(small.begin, small.begin + small.count, small.hist);
        subtractHist(parentHist, small.hist, parentHist);
        large.hist = parentHist;
      } else this.give(parentHist);
      leaves[pick] = left;
      leaves.push(right);
      if (opts.growth === 'dfs') stack.push(rightIndex, pick);
      for (const child of [left, right]) {
        if (canSplit(child)) this.search(child, opts, activeFeatures, rng);
        else child.best.reset();
        if (child.best.gain === Number.NEGATIVE_INFINITY && child.hist) {
          this.give(child.hist);
          child.hist = undefined;
        }
      }
    }
    for (const l of leaves) if (l.hist) this.give(l.hist);

    const L = leaves.length;
    const leafBegin = new Int32Array(L);
    const leafCount = new Int32Array(L);
    t.numLeaves = L;
    t.leafValue = new Array(L * C).fill(0);
    const values = new Float64Array(L * C);
    leaves.forEach((l, i) => {
      leafOutput(l.stats.g, l.stats.h, opts.lambdaL1, opts.lambdaL2, values, i * C);
      t.leafCount.push(l.count);
      t.leafWeight.push(l.stats.h);
      leafBegin[i] = l.begin;
      leafCount[i] = l.count;
    });
    t.leafValue = [...values];
    return { tree: new Tree(t), leafBegin, leafCount };
  }

  private search(leaf: Leaf, opts: GrowOptions, active: Int32Array, rng: Rng): void {
    this.searchFeatures(leaf, opts.featuresPerNode < active.length ? this.sample(active, opts, rng) : active, opts);
  }

  /** featuresPerNode of the active features, drawn without replacement (a partial Fisher-Yates). */
  private sample(active: Int32Array, opts: GrowOptions, rng: Rng): Int32Array {
    const feats = Int32Array.from(active);
    for (let i = 0; i < opts.featuresPerNode; i++) {
      const j = i + rng.int(feats.length - i);
      const tmp = feats[i] as number;
      feats[i] = feats[j] as number;
      feats[j] = tmp;
    }
    return feats.subarray(0, opts.featuresPerNode);
  }

  private searchFeatures(leaf: Leaf, feats: Int32Array, opts: GrowOptions): void {
    const best = leaf.best;
    best.reset();
    const hist = leaf.hist as Float64Array;
    for (let k = 0; k < feats.length; k++) {
      const f = feats[k] as number;
      const m = this.mappers[f] as BinMapper;
      if (m.kind === 'numeric') {
        if (this.outputs > 1 || !this.engine.numericSplit(hist, f, m.numBins, m.missingBin, leaf.stats, opts, best))
          findNumericSplit(hist, f, m.numBins, m.missingBin, leaf.stats, opts, best, this.scratch);
      } else findCategoricalSplit(hist, f, m.numBins, leaf.stats, opts, best, this.scratch);
    }
  }

  /** Stable in-place partition of the engine's order[begin .. begin+count) by the split; returns the left count. */
  private partition(begin: number, count: number, s: SplitInfo): number {
    const lut = this.goesLeft;
    const miss = this.missingBins[s.feature] as number;
    if (s.categorical) {
      const cb = s.catBins;
      for (let b = 0; b < 256; b++) lut[b] = ((cb[b >>> 5] as number) >>> (b & 31)) & 1;
    } else {
      const t = s.thresholdBin;
      for (let b = 0; b < 256; b++) lut[b] = b === miss ? (s.defaultLeft ? 1 : 0) : b <= t ? 1 : 0;
    }
    return this.engine.partition(begin, begin + count, s.feature, lut);
  }

  /** A histogram to build into (build writes over it, so a recycled one is not cleared). */
  private take(): Float64Array {
    return this.pool.pop() ?? this.engine.newHist();
  }

  private give(h: Float64Array): void {
    this.pool.push(h);
  }

  get binMissing(): Int32Array {
    return this.missingBins;
  }
}

function emptyJSON(outputs: number): TreeJSON {
  return {
    numLeaves: 1,
    outputs,
    splitFeature: [],
    threshold: [],
    thresholdBin: [],
    defaultLeft: [],
    categorical: [],
    catValues: [],
    catBins: [],
    left: [],
    right: [],
    gain: [],
    internalCount: [],
    leafValue: [],
    leafCount: [],
    leafWeight: [],
  };
}
