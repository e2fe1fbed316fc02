/**
 * One product for the GEMM engine, C[batch] = op(A[batch]) · op(B[batch]) (+ bias, activation),
 * and how it is written into the kernel's parameter block (assembly/gemm.ts, P_*). Offsets are
 * float indices into the engine's memory.
 */

/** How A is read: a plain matrix, a transposed one, or an NHWC convolution's im2col (or its transpose). */
export type AMode = 'rows' | 'columns' | 'im2col' | 'im2colT';
/** How B is read: B[k][n] or B[n][k]. */
export type BMode = 'rows' | 'columns';
/** Activations the kernel applies in its epilogue. */
export type EngineActivation = 'linear' | 'relu' | 'relu6';

/** Geometry of an NHWC convolution (im2col modes): input H x W x IC, output OH x OW, filter KH x KW. */
export interface ConvGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

export interface GemmJob {
  m: number;
  n: number;
  k: number;
  batch: number;
  aMode: AMode;
  /** Offset of A; its leading dimension; floats between batches (0: one A for every batch). */
  a: number;
  lda: number;
  strideA: number;
  bMode: BMode;
  b: number;
  ldb: number;
  strideB: number;
  c: number;
  ldc: number;
  strideC: number;
  /** Offset of n bias values (with 32 bytes readable past them), or -1 for none. */
  bias: number;
  activation: EngineActivation;
  conv?: ConvGeometry;
  /** Add the product to C as it is instead of overwriting it (products summed chunk by chunk). Default false. */
  accumulate?: boolean;
}

/** One thread's share: rows [m0, m1), columns [n0, n1), batches [b0, b1). */
export interface Share {
  m0: number;
  m1: number;
  n0: number;
  n1: number;
  b0: number;
  b1: number;
}

export const PARAM_WORDS = 40;
/** Rows and columns of the kernel's register tile: a share starts on a multiple of them. */
export const TILE_ROWS = 6;
export const TILE_COLS = 8;

const A_MODES: Record<AMode, number> = { rows: 0, columns: 1, im2col: 2, im2colT: 3 };
const ACTIVATIONS: Record<EngineActivation, number> = { linear: 0, relu: 1, relu6: 2 };

/** Writes `job`'s share into the parameter block `p` (byte offsets for pointers, as the kernel reads them). */
export function writeParams(p: Int32Array, job: GemmJob, share: Share, scratch: { packA: number; packB: number; tile: number }): void {
  p.fill(0);
  p[0] = share.m0;
  p[1] = share.m1;
  p[2] = share.n0;
  p[3] = share.n1;
  p[4] = job.k;
  p[5] = A_MODES[job.aMode];
  p[6] = job.a * 4;
  p[7] = job.lda;
  p[8] = job.bMode === 'rows' ? 0 : 1;
  p[9] = job.b * 4;
  p[10] = job.ldb;
  p[11] = job.c * 4;
  p[12] = job.ldc;
  p[13] = job.bias < 0 ? 0 : job.bias * 4;
  p[14] = ACTIVATIONS[job.activation];
  p[15] = scratch.packA;
  p[16] = scratch.packB;
  p[17] = scratch.tile;
  p[18] = share.b0;
  p[19] = share.b1;
  p[20] = job.strideA;
  p[21] = job.strideB;
  p[22] = job.strideC;
  p[36] = job.accumulate === true ? 1 : 0;
  const g = job.conv;
  if (g !== undefined) {
    p.set(
      [
        g.inHeight,
        g.inWidth,
        g.inChannels,
        g.outHeight,
        g.outWidth,
        g.filterHeight,
        g.filterWidth,
        g.strideHeight,
        g.strideWidth,
        g.dilationHeight,
        g.dilationWidth,
        g.padTop,
        g.padLeft,
      ],
      23,
    );
  }
}

/**
 * Splits `job` in two shares of about equal work, or returns one share when it is too small to
 * split. Whole batches go to each thread when there are several small products; otherwise the
 * longer side of C is cut on a tile boundary.
 */
export function splitJob(job: GemmJob, threads: number): Share[] {
  const all: Share = { m0: 0, m1: job.m, n0: 0, n1: job.n, b0: 0, b1: job.batch };
  if (threads < 2) return [all];
  if (job.batch >= 2 && (job.batch >= 8 || job.m * job.n < 256 * 256)) {
    const mid = job.batch >> 1;
    return [
      { ...all, b1: mid },
      { ...all, b0: mid },
    ];
  }
  if (job.m >= job.n && job.m >= 2 * TILE_ROWS) {
    const mid = Math.ceil(job.m / 2 / TILE_ROWS) * TILE_ROWS;
    return [
      { ...all, m1: mid },
      { ...all, m0: mid },
    ];
  }
  if (job.n >= 2 * TILE_COLS) {
    const mid = Math.ceil(job.n / 2 / TILE_COLS) * TILE_COLS;
    return [
      { ...all, n1: mid },
      { ...all, n0: mid },
    ];
  }
  return [all];
}
