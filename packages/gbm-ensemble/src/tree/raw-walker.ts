import type { Tree } from './tree.js';

/**
 * Leaves of raw (float64) rows for a tree of numeric splits, without branches on the data: a
 * node sends a row left when v <= threshold, or when v is NaN and the node's default is left;
 * leaves become nodes that lead to themselves, so every row takes exactly `depth` steps, and
 * four rows walk together so their chains of dependent loads overlap. Prediction used to spend
 * most of its time on mispredicted branches. Trees with categorical splits keep Tree.leafOf.
 */
export class RawWalker {
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly defaultLeft: Int32Array;
  /** children[2 * node] = right, children[2 * node + 1] = left; node ids >= internal are leaves. */
  private readonly children: Int32Array;
  private readonly internal: number;
  private readonly depth: number;

  /** A walker for `tree`, or null when the tree has a categorical split. */
  static of(tree: Tree): RawWalker | null {
    for (let i = 0; i < tree.numLeaves - 1; i++) if (tree.categorical[i] !== 0) return null;
    return new RawWalker(tree);
  }

  private constructor(tree: Tree) {
    const n = tree.numLeaves - 1;
    const total = n + tree.numLeaves;
    this.internal = n;
    this.depth = tree.depth();
    this.feature = new Int32Array(total);
    // Leaves compare column 0 against +Infinity and lead to themselves either way.
    this.threshold = new Float64Array(total).fill(Number.POSITIVE_INFINITY);
    this.defaultLeft = new Int32Array(total);
    this.children = new Int32Array(total * 2);
    const id = (child: number): number => (child < 0 ? n + ~child : child);
    for (let node = 0; node < n; node++) {
      this.feature[node] = tree.splitFeature[node] as number;
      this.threshold[node] = tree.threshold[node] as number;
      this.defaultLeft[node] = tree.defaultLeft[node] as number;
      this.children[2 * node] = id(tree.right[node] as number);
      this.children[2 * node + 1] = id(tree.left[node] as number);
    }
    for (let leaf = n; leaf < total; leaf++) {
      this.children[2 * leaf] = leaf;
      this.children[2 * leaf + 1] = leaf;
    }
  }

  /** out[j] = leaf of row j of the row-major block x (cols columns), for rows [0, rows). */
  leaves(x: Float64Array, cols: number, rows: number, out: Int32Array): void {
    const { depth, internal } = this;
    let j = 0;
    for (; j + 4 <= rows; j += 4) {
      const b = j * cols;
      let n0 = 0;
      let n1 = 0;
      let n2 = 0;
      let n3 = 0;
      // Until all four are at leaves (leaves lead to themselves): the max of four paths, not the tree's depth.
      for (let d = 0; d < depth && (n0 < internal || n1 < internal || n2 < internal || n3 < internal); d++) {
        n0 = this.step(n0, x, b);
        n1 = this.step(n1, x, b + cols);
        n2 = this.step(n2, x, b + 2 * cols);
        n3 = this.step(n3, x, b + 3 * cols);
      }
      out[j] = n0 - internal;
      out[j + 1] = n1 - internal;
      out[j + 2] = n2 - internal;
      out[j + 3] = n3 - internal;
    }
    for (; j < rows; j++) {
      let node = 0;
      while (node < internal) node = this.step(node, x, j * cols);
      out[j] = node - internal;
    }
  }

  private step(node: number, x: Float64Array, base: number): number {
    const v = x[base + (this.feature[node] as number)] as number;
    // NaN fails every comparison, so `v <= t` is 0 for it and the default direction decides.
    const left = +(v <= (this.threshold[node] as number)) | (+Number.isNaN(v) & (this.defaultLeft[node] as number));
    return this.children[2 * node + left] as number;
  }
}
