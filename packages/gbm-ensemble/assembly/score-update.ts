import { adjacentGradients, binaryGradient } from './binary-gradients';

/**
 * The leaf of each row at positions [begin, end) of `order` (the row ids after tree growth),
 * written to leafOf[row] (u16). order[0, n) are the tree's sample, grouped by leaf (leaf l holds
 * positions leafBegin[l] .. + leafCount[l]), so their leaf is known without a walk; order[n, rows)
 * are the rows outside the sample, which walk the tree (tables of BinnedRouter,
 * src/tree/binned-router.ts: per node a 256-byte "goes left" table, children (right, left) and
 * the split feature; leaves lead to themselves, so every row takes exactly `depth` steps; four
 * rows walk together so their chains of dependent loads overlap).
 */
export function assignLeaves(
  bins: usize,
  cols: i32,
  order: usize,
  n: i32,
  begin: i32,
  end: i32,
  leafBegin: usize,
  leafCount: usize,
  leaves: i32,
  goesLeft: usize,
  children: usize,
  feature: usize,
  internal: i32,
  depth: i32,
  leafOf: usize,
): void {
  const stop = min(end, n);
  for (let l = 0; l < leaves && begin < stop; l++) {
    const lb = load<i32>(leafBegin + (<usize>l << 2));
    const b = max(begin, lb);
    const e = min(stop, lb + load<i32>(leafCount + (<usize>l << 2)));
    for (let j = b; j < e; j++) store<u16>(leafOf + (<usize>load<i32>(order + (<usize>j << 2)) << 1), <u16>l);
  }
  const stride = <usize>cols;
  let j = max(begin, n);
  for (; j + 4 <= end; j += 4) {
    const r0 = <usize>load<i32>(order + (<usize>j << 2));
    const r1 = <usize>load<i32>(order + (<usize>(j + 1) << 2));
    const r2 = <usize>load<i32>(order + (<usize>(j + 2) << 2));
    const r3 = <usize>load<i32>(order + (<usize>(j + 3) << 2));
    const b0 = bins + r0 * stride;
    const b1 = bins + r1 * stride;
    const b2 = bins + r2 * stride;
    const b3 = bins + r3 * stride;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    for (let d = 0; d < depth; d++) {
      n0 = step(n0, b0, goesLeft, children, feature);
      n1 = step(n1, b1, goesLeft, children, feature);
      n2 = step(n2, b2, goesLeft, children, feature);
      n3 = step(n3, b3, goesLeft, children, feature);
    }
    store<u16>(leafOf + (r0 << 1), <u16>(n0 - internal));
    store<u16>(leafOf + (r1 << 1), <u16>(n1 - internal));
    store<u16>(leafOf + (r2 << 1), <u16>(n2 - internal));
    store<u16>(leafOf + (r3 << 1), <u16>(n3 - internal));
  }
  for (; j < end; j++) {
    const r = <usize>load<i32>(order + (<usize>j << 2));
    const b = bins + r * stride;
    let nd = 0;
    for (let d = 0; d < depth; d++) nd = step(nd, b, goesLeft, children, feature);
    store<u16>(leafOf + (r << 1), <u16>(nd - internal));
  }
}

/**
 * Rows [begin, end) in row order: scores[r * outputs + k] += values[leafOf[r]]. With labels
 * (binary objective, one output) the rows' gradients and hessians for the next round are computed
 * in the same pass, two rows at a time.
 */
export function addLeafValues(
  begin: i32,
  end: i32,
  leafOf: usize,
  values: usize,
  scores: usize,
  outputs: i32,
  k: i32,
  labels: usize,
  grad: usize,
  hess: usize,
): void {
  let r = <usize>begin;
  const stop = <usize>end;
  if (labels != 0) {
    for (; r + 2 <= stop; r += 2) {
      const v = f64x2.replace_lane(f64x2.splat(leafValue(values, leafOf, r)), 1, leafValue(values, leafOf, r + 1));
      const at = scores + (r << 3);
      const s = f64x2.add(v128.load(at), v);
      v128.store(at, s);
      adjacentGradients(s, labels, grad, hess, r);
    }
  }
  for (; r < stop; r++) {
    addValue(scores, r, outputs, k, leafValue(values, leafOf, r));
    if (labels != 0) binaryGradient(scores, labels, grad, hess, r);
  }
}

// @ts-ignore: decorator
@inline
function step(node: i32, row: usize, goesLeft: usize, children: usize, feature: usize): i32 {
  const f = <usize>load<i32>(feature + (<usize>node << 2));
  const left = <usize>load<u8>(goesLeft + (<usize>node << 8) + <usize>load<u8>(row + f));
  return load<i32>(children + ((<usize>node << 3) + (left << 2)));
}

// @ts-ignore: decorator
@inline
function leafValue(values: usize, leafOf: usize, r: usize): f64 {
  return load<f64>(values + (<usize>load<u16>(leafOf + (r << 1)) << 3));
}

// @ts-ignore: decorator
@inline
function addValue(scores: usize, r: usize, outputs: i32, k: i32, v: f64): void {
  const at = scores + ((r * <usize>outputs + <usize>k) << 3);
  store<f64>(at, load<f64>(at) + v);
}
