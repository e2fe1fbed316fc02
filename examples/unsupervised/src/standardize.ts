/** Z-scores each column in place (constant columns are only centred), so no feature dominates distances by its unit. */
export function standardize(x: { data: Float32Array; rows: number; cols: number }): void {
  const { data, rows, cols } = x;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * cols + j] as number;
    mean /= rows;
    let v = 0;
    for (let i = 0; i < rows; i++) v += ((data[i * cols + j] as number) - mean) ** 2;
    const sd = Math.sqrt(v / rows) || 1;
    for (let i = 0; i < rows; i++) data[i * cols + j] = ((data[i * cols + j] as number) - mean) / sd;
  }
}
