/**
 * Adds one tree's leaf values to column k of out (rows x outputs f64) for rows [0, rows) of the
 * row-major f64 block x (cols columns). Node tables as src/tree/raw-walker.ts lays them out:
 * feature (i32), threshold (f64), defaultLeft (i32), children (i32 pairs: right, left); a node
 * sends a row left when v <= threshold, or v is NaN and its default is left; leaves lead to
 * themselves, so eight rows walk together without a branch on the data (their chains of dependent
 * loads overlap) until the last of them reaches a leaf.
 */
export function walkTree(
  x: usize,
  cols: i32,
  rows: i32,
  feature: usize,
  threshold: usize,
  defaultLeft: usize,
  children: usize,
  internal: i32,
  depth: i32,
  values: usize,
  out: usize,
  outputs: i32,
  k: i32,
): void {
  const stride = <usize>cols << 3;
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const b = x + <usize>r * stride;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    let n4 = 0;
    let n5 = 0;
    let n6 = 0;
    let n7 = 0;
    // Until all eight are at leaves (ids >= internal): the longest of eight paths, not the depth.
    for (let d = 0; d < depth && ((n0 - internal) | (n1 - internal) | (n2 - internal) | (n3 - internal) | (n4 - internal) | (n5 - internal) | (n6 - internal) | (n7 - internal)) < 0; d++) {
      n0 = step(n0, b, feature, threshold, defaultLeft, children);
      n1 = step(n1, b + stride, feature, threshold, defaultLeft, children);
      n2 = step(n2, b + 2 * stride, feature, threshold, defaultLeft, children);
      n3 = step(n3, b + 3 * stride, feature, threshold, defaultLeft, children);
      n4 = step(n4, b + 4 * stride, feature, threshold, defaultLeft, children);
      n5 = step(n5, b + 5 * stride, feature, threshold, defaultLeft, children);
      n6 = step(n6, b + 6 * stride, feature, threshold, defaultLeft, children);
      n7 = step(n7, b + 7 * stride, feature, threshold, defaultLeft, children);
    }
    add(out, r, outputs, k, values, n0 - internal);
    add(out, r + 1, outputs, k, values, n1 - internal);
    add(out, r + 2, outputs, k, values, n2 - internal);
    add(out, r + 3, outputs, k, values, n3 - internal);
    add(out, r + 4, outputs, k, values, n4 - internal);
    add(out, r + 5, outputs, k, values, n5 - internal);
    add(out, r + 6, outputs, k, values, n6 - internal);
    add(out, r + 7, outputs, k, values, n7 - internal);
  }
  for (; r < rows; r++) {
    const b = x + <usize>r * stride;
    let n = 0;
    while (n < internal) n = step(n, b, feature, threshold, defaultLeft, children);
    add(out, r, outputs, k, values, n - internal);
  }
}

// @ts-ignore: decorator
@inline
function step(n: i32, row: usize, feature: usize, threshold: usize, defaultLeft: usize, children: usize): i32 {
  const at = <usize>n;
  const v = load<f64>(row + (<usize>load<i32>(feature + (at << 2)) << 3));
  const left = <i32>(v <= load<f64>(threshold + (at << 3))) | (<i32>(v != v) & load<i32>(defaultLeft + (at << 2)));
  return load<i32>(children + (at << 3) + (<usize>left << 2));
}

// @ts-ignore: decorator
@inline
function add(out: usize, r: i32, outputs: i32, k: i32, values: usize, leaf: i32): void {
  const at = out + ((<usize>r * <usize>outputs + <usize>k) << 3);
  store<f64>(at, load<f64>(at) + load<f64>(values + (<usize>leaf << 3)));
}

/**
 * walkTree for trees with categorical splits, four rows at a time. Per node also: isCat (i32),
 * and for categorical nodes a bitset over category codes (catWords u32 words at catBits +
 * catOffset * 4). A categorical node sends a row left when its value is an integer code in
 * [0, 2^31) whose bit is set (as Tree.leafOf does).
 */
export function walkTreeMixed(
  x: usize,
  cols: i32,
  rows: i32,
  feature: usize,
  threshold: usize,
  defaultLeft: usize,
  children: usize,
  isCat: usize,
  catOffset: usize,
  catWords: usize,
  catBits: usize,
  internal: i32,
  depth: i32,
  values: usize,
  out: usize,
  outputs: i32,
  k: i32,
): void {
  const stride = <usize>cols << 3;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b = x + <usize>r * stride;
    let n0 = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    for (let d = 0; d < depth && ((n0 - internal) | (n1 - internal) | (n2 - internal) | (n3 - internal)) < 0; d++) {
      n0 = mixedStep(n0, b, feature, threshold, defaultLeft, children, isCat, catOffset, catWords, catBits);
      n1 = mixedStep(n1, b + stride, feature, threshold, defaultLeft, children, isCat, catOffset, catWords, catBits);
      n2 = mixedStep(n2, b + 2 * stride, feature, threshold, defaultLeft, children, isCat, catOffset, catWords, catBits);
      n3 = mixedStep(n3, b + 3 * stride, feature, threshold, defaultLeft, children, isCat, catOffset, catWords, catBits);
    }
    add(out, r, outputs, k, values, n0 - internal);
    add(out, r + 1, outputs, k, values, n1 - internal);
    add(out, r + 2, outputs, k, values, n2 - internal);
    add(out, r + 3, outputs, k, values, n3 - internal);
  }
  for (; r < rows; r++) {
    const b = x + <usize>r * stride;
    let n = 0;
    while (n < internal) n = mixedStep(n, b, feature, threshold, defaultLeft, children, isCat, catOffset, catWords, catBits);
    add(out, r, outputs, k, values, n - internal);
  }
}

// @ts-ignore: decorator
@inline
function mixedStep(
  n: i32,
  row: usize,
  feature: usize,
  threshold: usize,
  defaultLeft: usize,
  children: usize,
  isCat: usize,
  catOffset: usize,
  catWords: usize,
  catBits: usize,
): i32 {
  const at = <usize>n;
  const v = load<f64>(row + (<usize>load<i32>(feature + (at << 2)) << 3));
  let left = <i32>(v <= load<f64>(threshold + (at << 3))) | (<i32>(v != v) & load<i32>(defaultLeft + (at << 2)));
  // Categorical nodes are the few: a branch on the node's kind is mostly predicted.
  if (load<i32>(isCat + (at << 2))) {
    const codeOk = <i32>(v >= 0) & <i32>(v <= 2147483647.0) & <i32>(v == floor(v));
    // The conversion only ever sees a valid code (or 0): a NaN or out-of-range value would trap.
    const code = <u32>(codeOk ? v : 0.0);
    const w = code >>> 5;
    const inSet = <i32>(w < <u32>load<i32>(catWords + (at << 2)));
    // Word 0 of the node's set when the code is outside it (the tables keep one word past the last set).
    const word = load<u32>(catBits + ((<usize>load<i32>(catOffset + (at << 2)) + <usize>(inSet ? w : <u32>0)) << 2));
    left = codeOk & inSet & <i32>((word >>> (code & 31)) & 1);
  }
  return load<i32>(children + (at << 3) + (<usize>left << 2));
}
