import { checkInteger } from './errors.js';

/**
 * Seedable generator: sfc32 (Chris Doty-Humphrey's small fast counter generator) with its state
 * seeded through a 32-bit integer mixer. Identical on every platform, so a seed reproduces a run
 * bit for bit.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed = 0) {
    checkInteger('seed', seed, -0x80000000, 0xffffffff);
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n) (n < 2^32), without modulo bias. */
  int(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    let v = this.uint32();
    while (v >= limit) v = this.uint32();
    return v % n;
  }

  /** Standard normal (Box-Muller, second value of the pair kept). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    const th = 2 * Math.PI * this.random();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }

  /** A derived seed for an independent sub-run (each k-means restart gets its own). */
  seed(): number {
    return this.uint32();
  }
}
