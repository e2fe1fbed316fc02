// Gradient-based one-side sampling on the fit's memory: the passes of src/boosting/sampling.ts'
// GossSampler over all rows, with the same result (which rows, in which order, and the gradient
// scaling), so both kernel sets grow the same trees.

/**
 * score[i] = |grad[i] * hess[i]| as f32 for rows [0, rows), and counts[bits >>> 16] += 1 over
 * the scores' bit patterns (non-negative floats sort like their bits). counts: 65,536 u32,
 * zeroed here.
 */
export function gossScores(grad: usize, hess: usize, score: usize, counts: usize, rows: i32): void {
  memory.fill(counts, 0, 1 << 18);
  for (let i = 0; i < rows; i++) {
    const at = <usize>i << 2;
    const s = abs<f32>(load<f32>(grad + at) * load<f32>(hess + at));
    store<f32>(score + at, s);
    const c = counts + ((<usize>reinterpret<u32>(s) >>> 16) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
}

/** counts[bits & 0xffff] += 1 over the scores whose high 16 bits are `high` (counts zeroed here). */
export function gossLowCounts(score: usize, counts: usize, rows: i32, high: u32): void {
  memory.fill(counts, 0, 1 << 18);
  for (let i = 0; i < rows; i++) {
    const bits = load<u32>(score + (<usize>i << 2));
    const c = counts + (<usize>(bits & 0xffff) << 2);
    store<u32>(c, load<u32>(c) + (bits >>> 16 == high ? 1 : 0));
  }
}

/**
 * One pass in row order: a row is in the top set when its score is above the threshold, or at
 * it while `ties` remain; the others are ranked in order and taken when their rank's bit is set in
 * `chosen`, their gradient and hessian then scaled by `multiplier`. Sample rows go to order[0, n)
 * ascending, the rest to order[n, rows) from the end backwards. Returns n.
 */
export function gossSelect(score: usize, rows: i32, threshold: u32, ties: i32, chosen: usize, multiplier: f32, grad: usize, hess: usize, order: usize): i32 {
  let n = 0;
  let o = 0;
  let rest = 0;
  let t = ties;
  for (let i = 0; i < rows; i++) {
    const at = <usize>i << 2;
    const bits = load<u32>(score + at);
    const tie = <i32>(bits == threshold) & <i32>(t > 0);
    const top = <i32>(bits > threshold) | tie;
    t -= tie;
    const picked = (1 - top) & <i32>((load<u32>(chosen + (<usize>(rest >>> 5) << 2)) >>> (<u32>rest & 31)) & 1);
    rest += 1 - top;
    const inSample = top | picked;
    store<i32>(order + (<usize>(inSample ? n : rows - 1 - o) << 2), i);
    n += inSample;
    o += 1 - inSample;
    // A predicted-untaken branch: one row in eight or so is drawn.
    if (picked) {
      store<f32>(grad + at, load<f32>(grad + at) * multiplier);
      store<f32>(hess + at, load<f32>(hess + at) * multiplier);
    }
  }
  return n;
}
