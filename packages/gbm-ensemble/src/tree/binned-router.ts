import type { Tree } from './tree.js';

/**
 * Routes binned rows (training data) through one tree without branches on the data, for the
 * rows outside a GOSS or bagging sample (their scores are updated by walking the tree) and
 * forests' out-of-bag rows. Each internal node gets a 256-byte table saying which bins go left
 * (threshold, the missing bin's default direction, or a category set); leaves become nodes that
 * lead to themselves, so every row takes exactly `depth` steps of lookups. Four rows walk
 * together: their chains of dependent loads overlap, where one row at a time with a
 * data-dependent loop exit ran at the latency of one chain plus a mispredicted exit per row.
 */
export class BinnedRouter {
  /** goesLeft[node * 256 + bin]: 1 when the bin goes left at that node. */
  readonly goesLeft: Uint8Array;
  /** children[2 * node] = right, children[2 * node + 1] = left; node ids >= internal are leaves. */
  readonly children: Int32Array;
  readonly feature: Int32Array;
  /** Internal nodes; leaf l is node internal + l. */
  readonly internal: number;
  /** Steps every row takes (the tree's depth). */
  readonly depth: number;

  constructor(tree: Tree, missingBins: Int32Array) {
    const n = tree.numLeaves - 1;
    this.internal = n;
    const total = n + tree.numLeaves;
    this.goesLeft = new Uint8Array(total * 256);
    this.children = new Int32Array(total * 2);
    this.feature = new Int32Array(total);
    const id = (child: number): number => (child < 0 ? n + ~child : child);
    for (let node = 0; node < n; node++) {
      this.feature[node] = tree.splitFeature[node] as number;
      this.children[2 * node] = id(tree.right[node] as number);
      this.children[2 * node + 1] = id(tree.left[node] as number);
      for (let b = 0; b < 256; b++) this.goesLeft[node * 256 + b] = tree.binGoesLeft(node, b, missingBins) ? 1 : 0;
    }
    for (let leaf = n; leaf < total; leaf++) {
      this.children[2 * leaf] = leaf;
      this.children[2 * leaf + 1] = leaf;
    }
    this.depth = tree.depth();
  }

  /** out[j] = leaf of row rows[j] of row-major bins with `cols` features. */
  leaves(bins: Uint8Array, cols: number, rows: Int32Array, out: Int32Array): void {
    const { goesLeft, children, feature, depth, internal } = this;
    const n = rows.length;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = (rows[j] as number) * cols;
      const b1 = (rows[j + 1] as number) * cols;
      const b2 = (rows[j + 2] as number) * cols;
      const b3 = (rows[j + 3] as number) * cols;
      let n0 = 0;
      let n1 = 0;
      let n2 = 0;
      let n3 = 0;
      for (let d = 0; d < depth; d++) {
        n0 = children[2 * n0 + (goesLeft[(n0 << 8) | (bins[b0 + (feature[n0] as number)] as number)] as number)] as number;
        n1 = children[2 * n1 + (goesLeft[(n1 << 8) | (bins[b1 + (feature[n1] as number)] as number)] as number)] as number;
        n2 = children[2 * n2 + (goesLeft[(n2 << 8) | (bins[b2 + (feature[n2] as number)] as number)] as number)] as number;
        n3 = children[2 * n3 + (goesLeft[(n3 << 8) | (bins[b3 + (feature[n3] as number)] as number)] as number)] as number;
      }
      out[j] = n0 - internal;
      out[j + 1] = n1 - internal;
      out[j + 2] = n2 - internal;
      out[j + 3] = n3 - internal;
    }
    for (; j < n; j++) {
      const base = (rows[j] as number) * cols;
      let node = 0;
      for (let d = 0; d < depth; d++)
        node = children[2 * node + (goesLeft[(node << 8) | (bins[base + (feature[node] as number)] as number)] as number)] as number;
      out[j] = node - internal;
    }
  }
}
