/**
 * Eigenvalues and eigenvectors of a real symmetric n x n matrix: Householder reduction to
 * tridiagonal form with the transformations accumulated, then the implicit QL algorithm with
 * shifts on the tridiagonal (the EISPACK tred2 / tql2 pair, as in Golub and Van Loan 8.3).
 *
 * Why our own: PCA's covariance solver used ml-matrix's EVD, which stores rows as arrays and reads
 * every element through an accessor. On a 128 x 128 covariance it took 17 ms warm and 70-130 ms in
 * a fresh process (cold JIT), a third of a 100,000 x 128 PCA fit. The same algorithm on one flat
 * Float64Array takes a few milliseconds.
 *
 * `a` is row-major (only its values are read; it is not changed). Returns the eigenvalues in
 * ascending order and the eigenvectors as columns of a row-major n x n matrix: vector c is
 * vectors[j * n + c] for j = 0..n-1, orthonormal to rounding.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: v };
  tridiagonalize(v, n, d, e);
  diagonalize(v, n, d, e);
  sortAscending(v, n, d);
  return { values: d, vectors: v };
}

/**
 * Householder reduction: on return d holds the diagonal, e[1..n-1] the sub-diagonal of the
 * tridiagonal matrix, and v the orthogonal transformation that produced it.
 */
function tridiagonalize(v: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j] as number;
  for (let i = n - 1; i > 0; i--) {
    // Scale row i's part left of the diagonal to avoid under- and overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j] as number;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        const x = (d[k] as number) / scale;
        d[k] = x;
        h += x * x;
      }
      let f = d[i - 1] as number;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = A u (the lower triangle of the remaining block), with u in d.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        v[j * n + i] = f;
        g = (e[j] as number) + (v[j * n + j] as number) * f;
        for (let k = j + 1; k < i; k++) {
          const vkj = v[k * n + j] as number;
          g += vkj * (d[k] as number);
          e[k] = (e[k] as number) + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const x = (e[j] as number) / h;
        e[j] = x;
        f += x * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      // The rank-two update A - u w' - w u' of the lower triangle.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        for (let k = j; k < i; k++) v[k * n + j] = (v[k * n + j] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = v[(i - 1) * n + j] as number;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i] as number;
    v[i * n + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (v[k * n + i + 1] as number) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += (v[k * n + i + 1] as number) * (v[k * n + j] as number);
        for (let k = 0; k <= i; k++) v[k * n + j] = (v[k * n + j] as number) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j] as number;
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

// QL sweeps allowed per eigenvalue before giving up (LAPACK allows 30 per value as well).
const MAX_SWEEPS = 30;

/** Implicit QL with Wilkinson-like shifts: d becomes the eigenvalues, v's columns their vectors. */
function diagonalize(v: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let shift = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // The first negligible sub-diagonal element at or after l splits off a block.
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) throw new Error(`symmetricEigen: the QL iteration did not converge for eigenvalue ${l} of ${n}`);
        // Shift by the eigenvalue of the leading 2 x 2 block closer to d[l].
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        shift += h;
        // Chase the bulge from m back to l with plane rotations.
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * (e[i] as number);
          h = c * p;
          r = Math.hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          for (let k = 0; k < n; k++) {
            const a0 = v[k * n + i] as number;
            const a1 = v[k * n + i + 1] as number;
            v[k * n + i + 1] = s * a0 + c * a1;
            v[k * n + i] = c * a0 - s * a1;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + shift;
    e[l] = 0;
  }
}

/** Sorts the eigenvalues ascending, moving their vectors (columns) with them. */
function sortAscending(v: Float64Array, n: number, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if ((d[j] as number) < (d[k] as number)) k = j;
    if (k === i) continue;
    const t = d[i] as number;
    d[i] = d[k] as number;
    d[k] = t;
    for (let j = 0; j < n; j++) {
      const x = v[j * n + i] as number;
      v[j * n + i] = v[j * n + k] as number;
      v[j * n + k] = x;
    }
  }
}
