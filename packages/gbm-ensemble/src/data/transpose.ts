/** Column-major copy (out[f * rows + r]) of row-major bins (bins[r * cols + f]). */
export function transposeBins(bins: Uint8Array, rows: number, cols: number, out: Uint8Array): void {
  for (let r = 0; r < rows; r++) for (let f = 0, o = r * cols; f < cols; f++, o++) out[f * rows + r] = bins[o] as number;
}
