// Micro-benchmark of the gradient kernels @aiffel/runtime adds to or replaces in tfjs-backend-wasm:
// each timed with our kernel and (where one exists) the stock wasm kernel. Run: npm run bench -w @aiffel/runtime
import { ready, registerWasmTrainingKernels, tf } from '../dist/index.js';

await ready();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Results are synced and disposed by hand: returning a typed array from tf.tidy makes tidy walk
// every element looking for tensors, which would dominate the timing.
function once(fn) {
  const t = fn();
  t.dataSync();
  t.dispose();
}
function time(fn, reps = 3) {
  once(fn);
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    once(fn);
    runs.push((performance.now() - t0) / 1000);
  }
  return median(runs);
}

const x = tf.randomNormal([8, 56, 56, 128], 0, 1, 'float32', 1);
const w = tf.randomNormal([3, 3, 128, 128], 0, 0.05, 'float32', 2);
const dy = tf.randomNormal([8, 56, 56, 128], 0, 1, 'float32', 3);
const a = tf.randomNormal([25088, 128], 0, 1, 'float32', 4);
const cases = {
  'Conv2DBackpropInput 3x3 8x56x56x128': () => tf.conv2dTranspose(dy, w, [8, 56, 56, 128], 1, 'same'),
  'BatchMatMul transposeA 25088x128': () => tf.matMul(a, a, true, false),
  'Conv2DBackpropFilter 3x3 8x56x56x128': () =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 128, 128] }),
};
const rows = [];
for (const [name, fn] of Object.entries(cases)) {
  const ours = time(fn);
  registerWasmTrainingKernels({ fastGradients: false });
  const stock = name.startsWith('Conv2DBackpropFilter') ? null : time(fn, 1);
  registerWasmTrainingKernels();
  rows.push({
    kernel: name,
    ours_s: +ours.toFixed(4),
    stock_wasm_s: stock === null ? 'missing upstream' : +stock.toFixed(4),
    speedup: stock === null ? null : +(stock / ours).toFixed(2),
  });
}
console.table(rows);
console.log(JSON.stringify({ bench: 'runtime-kernels', rows }));
