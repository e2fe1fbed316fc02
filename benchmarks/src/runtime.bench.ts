/**
 * The runtime's own benchmark: how close the wasm backend (with @aiffel/runtime's GEMM engine and
 * gradient kernels) gets to the machine, against numpy and torch on the same shapes, and against
 * tfjs's own XNNPACK kernels in the same process (`ready({ kernels: 'xnnpack' })`).
 *   headline: 1024x1024 matmul GFLOPS, ours vs numpy
 *   also: 3x3 conv (8x56x56x128 -> 128) forward and forward+backward GFLOPS vs torch and XNNPACK,
 *   and the speed-up of our kernels over the stock wasm ones.
 * Usage: npm run bench -- runtime [--reps N]
 */
import { ready, registerWasmTrainingKernels, tf } from '@aiffel/runtime';
import { fmt, report, runPythonPeer, time } from './harness.js';

const repsArg = process.argv.indexOf('--reps');
const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 10;
if (!Number.isInteger(reps) || reps <= 0) throw new RangeError(`--reps must be a positive integer, got ${process.argv[repsArg + 1]}`);

const info = await ready();
console.error(`engine: ${JSON.stringify(info.engine)}`);
const n = 1024;
const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
// Never return a typed array from tf.tidy: tidy walks every element of its result looking for
// tensors, which costs more than the matmul itself.
const sync = (make: () => tf.Tensor) => {
  const t = make();
  t.dataSync();
  t.dispose();
};
const matmul = () => sync(() => tf.matMul(a, b));
const mm = await time(matmul, reps);
const matmulGflops = (2 * n ** 3) / mm.median / 1e9;

const [batch, hw, c] = [8, 56, 128];
const x = tf.randomNormal([batch, hw, hw, c], 0, 1, 'float32', 3) as tf.Tensor4D;
const w = tf.randomNormal([3, 3, c, c], 0, 0.05, 'float32', 4) as tf.Tensor4D;
const convFlops = 2 * batch * hw * hw * c * c * 9;
const fwdBwd = () =>
  tf.tidy(() => {
    const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same')));
    for (const t of g([x, w])) t.dataSync();
  });
const convReps = Math.max(2, Math.floor(reps / 3));
const conv = await time(fwdBwd, convReps);
const convFwd = await time(() => sync(() => tf.conv2d(x, w, 1, 'same')), convReps);
const convGflops = (3 * convFlops) / conv.median / 1e9;

// tfjs's XNNPACK kernels with our gradient compositions (what the runtime ran before its engine),
// then fully stock wasm kernels, to show what each buys.
await ready({ kernels: 'xnnpack' });
const xnnMm = await time(matmul, reps);
const xnnConvFwd = await time(() => sync(() => tf.conv2d(x, w, 1, 'same')), convReps);
const xnnConv = await time(fwdBwd, convReps);
registerWasmTrainingKernels({ fastGradients: false });
const stock = await time(fwdBwd, 1);
registerWasmTrainingKernels();
await ready();
const xnnMatmulGflops = (2 * n ** 3) / xnnMm.median / 1e9;

const peer = runPythonPeer('runtime_peer.py', [String(reps)]);
const p = peer.ok ? peer.result : {};
const numpyGflops = (p.numpy_matmul_gflops as number | undefined) ?? null;
const torchMatmul = (p.torch_matmul_gflops as number | undefined) ?? null;
const torchConv = (p.torch_conv_fwd_bwd_gflops as number | undefined) ?? null;
if (!peer.ok) console.error(`peer unavailable: ${peer.reason}`);

report(
  {
    bench: 'runtime',
    metric: 'matmul_1024_gflops',
    unit: 'GFLOPS',
    better: 'higher',
    ours: Number(matmulGflops.toFixed(2)),
    peer: numpyGflops === null ? null : Number(numpyGflops.toFixed(2)),
    peer_name: `numpy ${p.numpy_version ?? ''}`.trim(),
    backend: info.backend,
    simd: info.simd,
    engine_fma: info.engine.fma,
    engine_threads: info.engine.threads,
    engine_active: info.engine.active,
    xnnpack_matmul_1024_gflops: Number(xnnMatmulGflops.toFixed(2)),
    speedup_over_xnnpack_matmul: Number((xnnMm.median / mm.median).toFixed(2)),
    conv3x3_fwd_seconds: Number(convFwd.median.toFixed(4)),
    conv3x3_fwd_seconds_xnnpack: Number(xnnConvFwd.median.toFixed(4)),
    conv_fwd_bwd_seconds_xnnpack: Number(xnnConv.median.toFixed(4)),
    torch_matmul_gflops: torchMatmul,
    conv3x3_fwd_bwd_gflops: Number(convGflops.toFixed(2)),
    conv3x3_fwd_gflops: Number((convFlops / convFwd.median / 1e9).toFixed(2)),
    torch_conv3x3_fwd_bwd_gflops: torchConv,
    conv_ratio_vs_torch: torchConv === null ? null : Number((convGflops / torchConv).toFixed(4)),
    conv_fwd_bwd_seconds: Number(conv.median.toFixed(4)),
    conv_fwd_bwd_seconds_stock_wasm: Number(stock.median.toFixed(4)),
    speedup_over_stock_wasm: Number((stock.median / conv.median).toFixed(2)),
    torch_version: p.torch_version ?? null,
    torch_threads: p.torch_threads ?? null,
  },
  [
    ['matmul 1024 GFLOPS (numpy)', fmt(matmulGflops), fmt(numpyGflops), fmt(numpyGflops ? matmulGflops / numpyGflops : null, 3)],
    ['matmul 1024 GFLOPS (torch)', fmt(matmulGflops), fmt(torchMatmul), fmt(torchMatmul ? matmulGflops / torchMatmul : null, 3)],
    ['conv3x3 fwd+bwd GFLOPS (torch)', fmt(convGflops), fmt(torchConv), fmt(torchConv ? convGflops / torchConv : null, 3)],
    ['matmul 1024 GFLOPS (XNNPACK, same process)', fmt(matmulGflops), fmt(xnnMatmulGflops), fmt(matmulGflops / xnnMatmulGflops, 3)],
    ['conv3x3 fwd s (XNNPACK)', fmt(convFwd.median, 3), fmt(xnnConvFwd.median, 3), fmt(convFwd.median / xnnConvFwd.median, 3)],
    ['conv3x3 fwd+bwd s (XNNPACK + our gradients)', fmt(conv.median, 3), fmt(xnnConv.median, 3), fmt(conv.median / xnnConv.median, 3)],
    ['conv3x3 fwd+bwd s, stock wasm', fmt(conv.median, 3), fmt(stock.median, 3), fmt(conv.median / stock.median, 3)],
  ],
);
