/**
 * Gradient histograms: the hot loop of histogram boosting. Layout: for feature f and bin b the
 * channels sit at ((f << 8) | b) * S, with S = outputs + 1 (gradient channels, then hessian).
 * Every feature gets 256 bins so the offset is a shift, and the whole histogram of 28 features
 * (115 KB at S = 2) stays in L2 cache while rows stream through.
 */
export const BIN_STRIDE = 256;

export function histSize(cols: number, channels: number): number {
  return cols * BIN_STRIDE * channels;
}

/**
 * One gradient channel: rows idx[begin..end) of features [f0, f1) added into `hist` (which the
 * caller zeroed). Threads split the features, not the rows, so each writes its own part of one
 * histogram and nothing has to be summed afterwards.
 */
export function buildHist1(
  bins: Uint8Array,
  cols: number,
  f0: number,
  f1: number,
  idx: Int32Array,
  begin: number,
  end: number,
  grad: Float32Array,
  hess: Float32Array,
  hist: Float64Array,
): void {
  for (let k = begin; k < end; k++) {
    const r = idx[k] as number;
    const g = grad[r] as number;
    const h = hess[r] as number;
    let base = r * cols + f0;
    for (let f = f0; f < f1; f++, base++) {
      const o = ((f << 8) | (bins[base] as number)) << 1;
      hist[o] = (hist[o] as number) + g;
      hist[o + 1] = (hist[o + 1] as number) + h;
    }
  }
}

/**
 * Several gradient channels (multi-output trees: a random-forest classifier's one-hot targets).
 * grad is row-major rows x outputs.
 */
export function buildHistN(
  bins: Uint8Array,
  cols: number,
  f0: number,
  f1: number,
  outputs: number,
  idx: Int32Array,
  begin: number,
  end: number,
  grad: Float32Array,
  hess: Float32Array,
  hist: Float64Array,
): void {
  const s = outputs + 1;
  for (let k = begin; k < end; k++) {
    const r = idx[k] as number;
    const h = hess[r] as number;
    const gb = r * outputs;
    let base = r * cols + f0;
    for (let f = f0; f < f1; f++, base++) {
      const o = ((f << 8) | (bins[base] as number)) * s;
      for (let c = 0; c < outputs; c++) hist[o + c] = (hist[o + c] as number) + (grad[gb + c] as number);
      hist[o + outputs] = (hist[o + outputs] as number) + h;
    }
  }
}

/** into = a - b (the sibling's histogram from the parent's and the smaller child's). */
export function subtractHist(a: Float64Array, b: Float64Array, into: Float64Array): void {
  for (let i = 0; i < a.length; i++) into[i] = (a[i] as number) - (b[i] as number);
}
