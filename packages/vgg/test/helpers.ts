/**
 * Labelled 32x32x3 images a small VGG can learn: class c is a bright square in quadrant c
 * (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) over deterministic noise:
 * value = (inside ? bright : 0) + noise * (u - centre), u uniform from a seeded LCG.
 */
export function quadrantImages(n: number, seed: number, bright: number, noise: number, centre: number): { data: Float32Array; labels: number[] } {
  const data = new Float32Array(n * 32 * 32 * 3);
  const labels: number[] = [];
  let s = seed;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels.push(c);
    for (let p = 0; p < 32 * 32; p++) {
      const y = Math.floor(p / 32);
      const x = p % 32;
      const inside = (c < 2 ? y < 16 : y >= 16) && (c % 2 === 0 ? x < 16 : x >= 16);
      for (let ch = 0; ch < 3; ch++) data[(i * 1024 + p) * 3 + ch] = (inside ? bright : 0) + noise * (rand() - centre);
    }
  }
  return { data, labels };
}
