/**
 * Orthonormalises the columns of a row-major rows x cols matrix in place (modified Gram-Schmidt,
 * run twice: "twice is enough" for orthogonality to working precision). A column that vanishes
 * against the previous ones is left at zero.
 */
export function orthonormalizeColumns(a: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < cols; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += (a[i * cols + c] as number) * (a[i * cols + p] as number);
        for (let i = 0; i < rows; i++) a[i * cols + c] = (a[i * cols + c] as number) - dot * (a[i * cols + p] as number);
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += (a[i * cols + c] as number) ** 2;
      norm = Math.sqrt(norm);
      const inv = norm > 1e-300 ? 1 / norm : 0;
      for (let i = 0; i < rows; i++) a[i * cols + c] = (a[i * cols + c] as number) * inv;
    }
  }
}
