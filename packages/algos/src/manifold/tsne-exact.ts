import type { SparseSymmetric } from './perplexity.js';

/**
 * Exact t-SNE gradient in any number of dimensions, O(n^2) per call: the reference the
 * Barnes-Hut gradient approximates (tests compare them), and the 'exact' method. Q is a Student t
 * with `dof` degrees of freedom (1 in 2-d; scikit-learn uses max(dims - 1, 1), van der Maaten
 * 2009), so q ~ (1 + d^2 / dof)^(-(dof + 1) / 2) and the gradient is
 * (2 (dof + 1) / dof) sum_j (p_ij - q_ij) (1 + d_ij^2 / dof)^-1 (y_i - y_j).
 * Returns the KL divergence of P (times `exaggeration`) from Q.
 */
export function exactGradient(y: Float64Array, n: number, dims: number, p: SparseSymmetric, exaggeration: number, grad: Float64Array, dof = 1): number {
  const qUn = new Float64Array(n * n);
  const kernel = new Float64Array(n * n);
  const c = (2 * (dof + 1)) / dof;
  let sumQ = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let t = 0; t < dims; t++) {
        const v = (y[i * dims + t] as number) - (y[j * dims + t] as number);
        d2 += v * v;
      }
      const q = dof === 1 ? 1 / (1 + d2) : (1 + d2 / dof) ** (-(dof + 1) / 2);
      qUn[i * n + j] = q;
      qUn[j * n + i] = q;
      sumQ += 2 * q;
      kernel[i * n + j] = 1 / (1 + d2 / dof);
      kernel[j * n + i] = kernel[i * n + j] as number;
    }
  }
  grad.fill(0);
  const pDense = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let f = p.rowPtr[i] as number; f < (p.rowPtr[i + 1] as number); f++) pDense[i * n + (p.cols[f] as number)] = (p.values[f] as number) * exaggeration;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = qUn[i * n + j] as number;
      const pij = pDense[i * n + j] as number;
      if (pij > 0) kl += pij * Math.log(pij / Math.max(q / sumQ, 1e-300));
      const m = c * (pij - q / sumQ) * (kernel[i * n + j] as number);
      for (let t = 0; t < dims; t++) grad[i * dims + t] = (grad[i * dims + t] as number) + m * ((y[i * dims + t] as number) - (y[j * dims + t] as number));
    }
  }
  return kl;
}
