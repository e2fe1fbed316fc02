// The best threshold of one numeric feature of a single-output histogram: the twin of
// src/tree/split-finder.ts' findNumericSplit1, with the same operations in the same order so both
// choose the same split.

/**
 * Scans bins of feature f (missing values on the right, then on the left when there are any),
 * for splits whose gain beats `best` and whose children pass the weight and count limits.
 * hist: f64 pairs (gradient, hessian), feature f at (f << 8) * 16 bytes. Returns 1 and writes
 * out[0..7) = gain, threshold bin, missing-left (0/1), left gradient, left hessian, right hessian,
 * left count when it finds one; returns 0 otherwise.
 */
export function bestNumericSplit(
  hist: usize,
  f: i32,
  numBins: i32,
  missingBin: i32,
  G: f64,
  H: f64,
  count: f64,
  l1: f64,
  l2: f64,
  mcw: f64,
  mcs: f64,
  best: f64,
  out: usize,
): i32 {
  const base = hist + (<usize>f << 12);
  const parentGain = leafGain(G, H, l1, l2);
  const missG = load<f64>(base + (<usize>missingBin << 4));
  const missH = load<f64>(base + (<usize>missingBin << 4), 8);
  let bestGain = best;
  let found = 0;
  for (let dir = 0; dir < 2; dir++) {
    const missLeft = dir == 1;
    if (missLeft && missH <= 0) break;
    let lg = missLeft ? missG : 0.0;
    let lh = missLeft ? missH : 0.0;
    const last = missLeft ? numBins - 1 : missH > 0 ? numBins : numBins - 1;
    for (let t = 0; t < last; t++) {
      const o = base + (<usize>t << 4);
      lg += load<f64>(o);
      lh += load<f64>(o, 8);
      const rh = H - lh;
      if (lh < mcw || rh < mcw) continue;
      const gain = leafGain(lg, lh, l1, l2) + leafGain(G - lg, rh, l1, l2) - parentGain;
      if (gain > bestGain) {
        // Counts are estimated from hessians (LightGBM's way), rounded as Math.round does.
        const x = (lh * count) / H;
        let lc = floor(x);
        if (x - lc >= 0.5) lc += 1.0;
        const rc = count - lc;
        if (lc < mcs || rc < mcs) continue;
        bestGain = gain;
        found = 1;
        store<f64>(out, gain);
        store<f64>(out, <f64>t, 8);
        store<f64>(out, <f64>dir, 16);
        store<f64>(out, lg, 24);
        store<f64>(out, lh, 32);
        store<f64>(out, rh, 40);
        store<f64>(out, lc, 48);
      }
    }
  }
  return found;
}

// @ts-ignore: decorator
@inline
function leafGain(g: f64, h: f64, l1: f64, l2: f64): f64 {
  const t = l1 <= 0 ? g : g > l1 ? g - l1 : g < -l1 ? g + l1 : 0.0;
  return (t * t) / (h + l2);
}
