/**
 * Adds one tree's leaf values to the scores of rows [begin, end) of row-major bins: the tables are
 * BinnedRouter's (src/tree/binned-router.ts): per node a 256-byte "goes left" table, children
 * (right, left) and the split feature; leaves are nodes that lead to themselves, so every row
 * takes exactly `depth` steps. Four consecutive rows walk together so their chains of dependent
 * loads overlap. scores: f64, row-major rows x outputs; column k is updated.
 */
export function route(
  bins: usize,
  cols: i32,
  begin: i32,
  end: i32,
  goesLeft: usize,
  children: usize,
  feature: usize,
  internal: i32,
  depth: i32,
  values: usize,
  scores: usize,
  outputs: i32,
  k: i32,
): void {
  const stride = <usize>cols;
  let r = begin;
  for (; r + 4 <= end; r += 4) {
    const b0 = bins + <usize>r * stride;
    const b1 = b0 + stride;
    const b2 = b1 + stride;
    const b3 = b2 + stride;
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
    add(scores, r, outputs, k, values, n0 - internal);
    add(scores, r + 1, outputs, k, values, n1 - internal);
    add(scores, r + 2, outputs, k, values, n2 - internal);
    add(scores, r + 3, outputs, k, values, n3 - internal);
  }
  for (; r < end; r++) {
    const b = bins + <usize>r * stride;
    let n = 0;
    for (let d = 0; d < depth; d++) n = step(n, b, goesLeft, children, feature);
    add(scores, r, outputs, k, values, n - internal);
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
function add(scores: usize, r: i32, outputs: i32, k: i32, values: usize, leaf: i32): void {
  const at = scores + ((<usize>r * <usize>outputs + <usize>k) << 3);
  store<f64>(at, load<f64>(at) + load<f64>(values + (<usize>leaf << 3)));
}
