/** Index of the largest of a[at .. at + K) (the first one on ties, as numpy's argmax). */
export function argmaxAt(a: ArrayLike<number>, at: number, K: number): number {
  let b = 0;
  for (let k = 1; k < K; k++) if ((a[at + k] as number) > (a[at + b] as number)) b = k;
  return b;
}
