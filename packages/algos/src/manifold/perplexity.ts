/**
 * Conditional probabilities p(j|i) from each row's neighbour distances, with the Gaussian
 * precision of each row found by bisection so that the row's entropy equals log(perplexity)
 * (van der Maaten's procedure, with scikit-learn's 100 steps and 1e-5 tolerance).
 * `distances` is rows x k squared distances; the result is written in place of a copy.
 */
export function conditionalProbabilities(distances: Float64Array, rows: number, k: number, perplexity: number): Float64Array {
  const p = new Float64Array(rows * k);
  const desired = Math.log(perplexity);
  for (let i = 0; i < rows; i++) {
    const o = i * k;
    let beta = 1;
    let betaMin = Number.NEGATIVE_INFINITY;
    let betaMax = Number.POSITIVE_INFINITY;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const v = Math.exp(-(distances[o + j] as number) * beta);
        p[o + j] = v;
        sum += v;
      }
      if (sum === 0) sum = 1e-8;
      let weighted = 0;
      for (let j = 0; j < k; j++) {
        const v = (p[o + j] as number) / sum;
        p[o + j] = v;
        weighted += (distances[o + j] as number) * v;
      }
      const entropy = Math.log(sum) + beta * weighted;
      const diff = entropy - desired;
      if (Math.abs(diff) <= 1e-5) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Number.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === Number.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return p;
}

/** A symmetric sparse matrix in CSR form (row pointers, column indices, values). */
export interface SparseSymmetric {
  rowPtr: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/**
 * Joint probabilities P = (C + C^T) / sum, from conditional probabilities C on a kNN graph
 * (rows x k, neighbour indices in `indices`). Entries are merged per row, so P stays sparse.
 */
export function jointProbabilities(cond: Float64Array, indices: Int32Array, rows: number, k: number): SparseSymmetric {
  const degree = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < k; t++) {
      degree[i] = (degree[i] as number) + 1;
      const j = indices[i * k + t] as number;
      degree[j] = (degree[j] as number) + 1;
    }
  }
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) start[i + 1] = (start[i] as number) + (degree[i] as number);
  const fill = start.slice(0, rows);
  const cols = new Int32Array(start[rows] as number);
  const vals = new Float64Array(start[rows] as number);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t] as number;
      const v = cond[i * k + t] as number;
      let f = fill[i] as number;
      cols[f] = j;
      vals[f] = v;
      fill[i] = f + 1;
      f = fill[j] as number;
      cols[f] = i;
      vals[f] = v;
      fill[j] = f + 1;
    }
  }
  // Merge duplicate columns within each row (i in j's list and j in i's list).
  const rowPtr = new Int32Array(rows + 1);
  const outCols: number[] = [];
  const outVals: number[] = [];
  const seen = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < rows; i++) {
    seen.clear();
    for (let f = start[i] as number; f < (start[i + 1] as number); f++) {
      const j = cols[f] as number;
      const at = seen.get(j);
      if (at === undefined) {
        seen.set(j, outCols.length);
        outCols.push(j);
        outVals.push(vals[f] as number);
      } else outVals[at] = (outVals[at] as number) + (vals[f] as number);
      total += vals[f] as number;
    }
    rowPtr[i + 1] = outCols.length;
  }
  const norm = Math.max(total, Number.EPSILON);
  return { rowPtr, cols: Int32Array.from(outCols), values: Float64Array.from(outVals, (v) => v / norm) };
}
