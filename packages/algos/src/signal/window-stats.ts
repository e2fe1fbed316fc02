/**
 * The statistics UCI HAR computes on each window (time samples or spectrum magnitudes). Each takes
 * the values and, where it needs order, a sorted copy the caller makes once per signal.
 */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/** Sample standard deviation (n - 1), as MATLAB's std. */
export function std(x: ArrayLike<number>, mu = mean(x)): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += ((x[i] as number) - mu) ** 2;
  return x.length > 1 ? Math.sqrt(s / (x.length - 1)) : 0;
}

/** Moves the k-th smallest of buf[0, n) to buf[k] (Hoare's quickselect, median-of-three pivot). */
function select(buf: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot keeps sorted and constant windows linear.
    let a = buf[lo] as number;
    let b = buf[mid] as number;
    const c = buf[hi] as number;
    if (a > b) [a, b] = [b, a];
    const pivot = c < a ? a : c > b ? b : c;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((buf[i] as number) < pivot) i++;
      while ((buf[j] as number) > pivot) j--;
      if (i <= j) {
        const t = buf[i] as number;
        buf[i] = buf[j] as number;
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return buf[k] as number;
}

/**
 * numpy's default (linear) percentile, q in [0, 1], of buf[0, n); reorders buf. Selection instead
 * of a sort: a window's median, quartiles and MAD cost O(n) each.
 */
export function quantileInPlace(buf: Float64Array, n: number, q: number): number {
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const v0 = select(buf, n, lo);
  if (pos === lo) return v0;
  let v1 = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) if ((buf[i] as number) < v1) v1 = buf[i] as number;
  return v0 + (v1 - v0) * (pos - lo);
}

/** numpy's default (linear) percentile of sorted values, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Median absolute deviation from the median: median(|x - median(x)|). `scratch` holds x.length values. */
export function medianAbsDeviation(x: ArrayLike<number>, scratch: Float64Array): number {
  const n = x.length;
  for (let i = 0; i < n; i++) scratch[i] = x[i] as number;
  const med = quantileInPlace(scratch, n, 0.5);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs((x[i] as number) - med);
  return quantileInPlace(scratch, n, 0.5);
}

/** Sum of squares over the count. */
export function energy(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return s / x.length;
}

export const ENTROPY_BINS = 10;

/**
 * Shannon entropy (bits) of the values' histogram over ENTROPY_BINS equal bins between the
 * window's min and max; 0 for a constant window. (UCI's files do not say which entropy they
 * computed; this is the one stated in our README and the benchmark's Python twin.)
 */
export function histogramEntropy(x: ArrayLike<number>, lo: number, hi: number): number {
  const n = x.length;
  if (!(hi > lo)) return 0;
  const counts = new Float64Array(ENTROPY_BINS);
  const scale = ENTROPY_BINS / (hi - lo);
  for (let i = 0; i < n; i++) {
    const bin = Math.min(ENTROPY_BINS - 1, Math.floor(((x[i] as number) - lo) * scale));
    counts[bin] = (counts[bin] as number) + 1;
  }
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log2(c / n);
  return h;
}

/** Biased sample skewness (scipy.stats.skew's default). */
export function skewness(x: ArrayLike<number>, mu = mean(x)): number {
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - mu;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= x.length;
  m3 /= x.length;
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/** Biased excess kurtosis (scipy.stats.kurtosis's default: Fisher, normal = 0). */
export function kurtosis(x: ArrayLike<number>, mu = mean(x)): number {
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - mu;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
}

/** Pearson correlation; 0 when either side is constant. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Angle in radians between two 3-vectors; 0 when either is zero. */
export function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const dot = (a[0] as number) * (b[0] as number) + (a[1] as number) * (b[1] as number) + (a[2] as number) * (b[2] as number);
  const na = Math.hypot(a[0] as number, a[1] as number, a[2] as number);
  const nb = Math.hypot(b[0] as number, b[1] as number, b[2] as number);
  if (!(na > 0 && nb > 0)) return 0;
  return Math.acos(Math.max(-1, Math.min(1, dot / (na * nb))));
}
