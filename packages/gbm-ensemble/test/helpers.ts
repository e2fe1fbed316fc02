/** Deterministic synthetic data for the tests. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function regressionData(n: number, cols: number, seed = 1): { X: number[][]; y: number[] } {
  const r = lcg(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: cols }, () => r() * 2 - 1);
    X.push(row);
    y.push(Math.sin(3 * (row[0] as number)) + (row[1] as number) * 2 + 0.1 * (r() - 0.5));
  }
  return { X, y };
}

export function classificationData(n: number, cols: number, classes = 2, seed = 2): { X: number[][]; y: number[] } {
  const r = lcg(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: cols }, () => r() * 2 - 1);
    X.push(row);
    const s = (row[0] as number) + 0.5 * (row[1] as number) + 0.2 * (r() - 0.5);
    y.push(classes === 2 ? (s > 0 ? 1 : 0) : Math.max(0, Math.min(classes - 1, Math.floor(((s + 1.5) / 3) * classes))));
  }
  return { X, y };
}
