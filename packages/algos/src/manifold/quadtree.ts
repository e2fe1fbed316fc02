/**
 * A region quadtree over 2-d points in flat typed arrays (so worker threads can read it from
 * shared memory). Every node keeps its square (centre, half width), the number of points below it
 * and their centre of mass: what Barnes-Hut needs to treat a far cell as one heavy point.
 * Coincident points share a leaf (its count says how many).
 */
export interface QuadTreeArrays {
  cx: Float64Array;
  cy: Float64Array;
  half: Float64Array;
  comX: Float64Array;
  comY: Float64Array;
  count: Float64Array;
  /** Index of the first of four children, or -1 for a leaf. */
  child: Int32Array;
  /** The point stored in a leaf, or -1. */
  point: Int32Array;
  /**
   * What a Barnes-Hut traversal reads, one 6-double record per node so a visit touches one cache
   * line: centre of mass x, y, point count, squared cell width, first child (-1: leaf), leaf point.
   */
  packed: Float64Array;
  /** Every point in depth-first leaf order: consecutive queries walk nearly the same paths. */
  order: Int32Array;
  /** Nodes in use. */
  size: number;
}

export const PACKED = 6;

export function allocateQuadTree(capacity: number, points: number, alloc: (n: number) => Float64Array, allocInt: (n: number) => Int32Array): QuadTreeArrays {
  return {
    packed: alloc(capacity * PACKED),
    order: allocInt(points),
    cx: alloc(capacity),
    cy: alloc(capacity),
    half: alloc(capacity),
    comX: alloc(capacity),
    comY: alloc(capacity),
    count: alloc(capacity),
    child: allocInt(capacity),
    point: allocInt(capacity),
    size: 0,
  };
}

const MAX_DEPTH = 48;

/** Rebuilds the tree over n points y (n x 2). Returns false when the capacity is too small. */
export function buildQuadTree(t: QuadTreeArrays, y: Float64Array, n: number): boolean {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const a = y[2 * i] as number;
    const b = y[2 * i + 1] as number;
    if (a < minX) minX = a;
    if (a > maxX) maxX = a;
    if (b < minY) minY = b;
    if (b > maxY) maxY = b;
  }
  const cap = t.cx.length;
  const reset = (node: number, cx: number, cy: number, half: number): void => {
    t.cx[node] = cx;
    t.cy[node] = cy;
    t.half[node] = half;
    t.comX[node] = 0;
    t.comY[node] = 0;
    t.count[node] = 0;
    t.child[node] = -1;
    t.point[node] = -1;
  };
  const half = Math.max(maxX - minX, maxY - minY) / 2 + 1e-5;
  reset(0, (minX + maxX) / 2, (minY + maxY) / 2, half * (1 + 1e-3));
  t.size = 1;
  for (let i = 0; i < n; i++) {
    const px = y[2 * i] as number;
    const py = y[2 * i + 1] as number;
    let node = 0;
    for (let depth = 0; ; depth++) {
      // Running sums here; turned into means after all insertions.
      const c = t.count[node] as number;
      t.comX[node] = (t.comX[node] as number) + px;
      t.comY[node] = (t.comY[node] as number) + py;
      t.count[node] = c + 1;
      const first = t.child[node] as number;
      if (first < 0) {
        const q = t.point[node] as number;
        if (c === 0) {
          t.point[node] = i;
          break;
        }
        if ((y[2 * q] === px && y[2 * q + 1] === py) || depth >= MAX_DEPTH) break;
        if (t.size + 4 > cap) return false;
        const h = (t.half[node] as number) / 2;
        const first4 = t.size;
        t.size += 4;
        for (let s = 0; s < 4; s++) reset(first4 + s, (t.cx[node] as number) + (s & 1 ? h : -h), (t.cy[node] as number) + (s & 2 ? h : -h), h);
        t.child[node] = first4;
        t.point[node] = -1;
        // Push the resident point(s) one level down; they all sit at q's position.
        const qs = first4 + quadrant(t, node, y[2 * q] as number, y[2 * q + 1] as number);
        t.point[qs] = q;
        t.count[qs] = c;
        t.comX[qs] = (y[2 * q] as number) * c;
        t.comY[qs] = (y[2 * q + 1] as number) * c;
        node = first4 + quadrant(t, node, px, py);
        continue;
      }
      node = first + quadrant(t, node, px, py);
    }
  }
  const packed = t.packed;
  for (let node = 0; node < t.size; node++) {
    const c = t.count[node] as number;
    if (c > 0) {
      t.comX[node] = (t.comX[node] as number) / c;
      t.comY[node] = (t.comY[node] as number) / c;
    }
    const o = node * PACKED;
    const w = 2 * (t.half[node] as number);
    packed[o] = t.comX[node] as number;
    packed[o + 1] = t.comY[node] as number;
    packed[o + 2] = c;
    packed[o + 3] = w * w;
    packed[o + 4] = t.child[node] as number;
    packed[o + 5] = t.point[node] as number;
  }
  leafOrder(t, n);
  return true;
}

/** Fills t.order with the points in depth-first order of their leaves; points a leaf does not store (its duplicates) go last. */
function leafOrder(t: QuadTreeArrays, n: number): void {
  const stack = new Int32Array(4 * MAX_DEPTH + 8);
  const seen = new Uint8Array(n);
  let top = 0;
  let k = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top] as number;
    const first = t.child[node] as number;
    if (first >= 0) {
      for (let s = 3; s >= 0; s--) stack[top++] = first + s;
      continue;
    }
    const p = t.point[node] as number;
    if (p >= 0) {
      seen[p] = 1;
      t.order[k++] = p;
    }
  }
  for (let i = 0; i < n && k < n; i++) if (!seen[i]) t.order[k++] = i;
}

function quadrant(t: QuadTreeArrays, node: number, px: number, py: number): number {
  return (px > (t.cx[node] as number) ? 1 : 0) + (py > (t.cy[node] as number) ? 2 : 0);
}
