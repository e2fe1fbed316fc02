// Dot-product kernel for @aiffel/algos, compiled to WebAssembly with 128-bit SIMD by `npm run build`
// (AssemblyScript). Every distance computation of k-means, k-means++ seeding, the t-SNE neighbour
// search and PCA's scatter matrix reduces to this one product of two row blocks.

/** Sum of the four lanes. */
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * out[i * nb + j] = dot(a_i, b_j) for row blocks a (na x d4) and b (nb x d4) of f32, row-major,
 * d4 a multiple of 4 (rows zero-padded). Two rows of a against four rows of b per pass: eight
 * accumulators, six loads per eight vector multiply-adds.
 */
export function dots(a: usize, na: i32, b: usize, nb: i32, d4: i32, out: usize): void {
  const stride = (<usize>d4) << 2;
  const outStride = (<usize>nb) << 2;
  let i = 0;
  for (; i + 2 <= na; i += 2) {
    const a0 = a + <usize>i * stride;
    const a1 = a0 + stride;
    const o0 = out + <usize>i * outStride;
    const o1 = o0 + outStride;
    let j = 0;
    for (; j + 4 <= nb; j += 4) {
      const b0 = b + <usize>j * stride;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s02 = f32x4.splat(0);
      let s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s12 = f32x4.splat(0);
      let s13 = f32x4.splat(0);
      for (let t: usize = 0; t < stride; t += 16) {
        const u0 = v128.load(a0 + t);
        const u1 = v128.load(a1 + t);
        const v0 = v128.load(b0 + t);
        const v1 = v128.load(b1 + t);
        const v2 = v128.load(b2 + t);
        const v3 = v128.load(b3 + t);
        s00 = f32x4.add(s00, f32x4.mul(u0, v0));
        s01 = f32x4.add(s01, f32x4.mul(u0, v1));
        s02 = f32x4.add(s02, f32x4.mul(u0, v2));
        s03 = f32x4.add(s03, f32x4.mul(u0, v3));
        s10 = f32x4.add(s10, f32x4.mul(u1, v0));
        s11 = f32x4.add(s11, f32x4.mul(u1, v1));
        s12 = f32x4.add(s12, f32x4.mul(u1, v2));
        s13 = f32x4.add(s13, f32x4.mul(u1, v3));
      }
      const jo = (<usize>j) << 2;
      store<f32>(o0 + jo, hsum(s00));
      store<f32>(o0 + jo + 4, hsum(s01));
      store<f32>(o0 + jo + 8, hsum(s02));
      store<f32>(o0 + jo + 12, hsum(s03));
      store<f32>(o1 + jo, hsum(s10));
      store<f32>(o1 + jo + 4, hsum(s11));
      store<f32>(o1 + jo + 8, hsum(s12));
      store<f32>(o1 + jo + 12, hsum(s13));
    }
    for (; j < nb; j++) {
      const bj = b + <usize>j * stride;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      for (let t: usize = 0; t < stride; t += 16) {
        const v = v128.load(bj + t);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + t), v));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a1 + t), v));
      }
      store<f32>(o0 + ((<usize>j) << 2), hsum(s0));
      store<f32>(o1 + ((<usize>j) << 2), hsum(s1));
    }
  }
  for (; i < na; i++) {
    const ai = a + <usize>i * stride;
    const oi = out + <usize>i * outStride;
    for (let j = 0; j < nb; j++) {
      const bj = b + <usize>j * stride;
      let s = f32x4.splat(0);
      for (let t: usize = 0; t < stride; t += 16) s = f32x4.add(s, f32x4.mul(v128.load(ai + t), v128.load(bj + t)));
      store<f32>(oi + ((<usize>j) << 2), hsum(s));
    }
  }
}
