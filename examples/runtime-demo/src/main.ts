import { decodeImage, ProgressBar, Rng, ready, resizeImage, tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import { parseDemoArgs } from './args.js';

/**
 * The runtime's own demo: start the wasm backend, time a 1024x1024 matmul, train a small conv net
 * for a few steps (exercising the gradient kernels runtime adds to wasm) and run it on an image.
 */
const args = parseDemoArgs(process.argv.slice(2));
const info = await ready({ backend: args.backend });
console.log(`backend: ${info.backend} (simd ${info.simd}), tfjs-core ${info.tfjsVersion}`);
console.log(`kernels added to wasm: ${info.registeredKernels.join(', ') || 'none'}`);

function matmulGflops(n: number, reps: number): number {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  tf.matMul(a, b).dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const s = (performance.now() - t0) / 1000 / reps;
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / s / 1e9;
}

const gflops = matmulGflops(1024, args.quick ? 3 : 10);
console.log(`matmul 1024x1024: ${gflops.toFixed(1)} GFLOPS`);

// Synthetic 32x32 images of two classes (bright top half vs bright bottom half).
const rng = new Rng(7);
const n = 64;
const xs = new Float32Array(n * 32 * 32 * 3);
const ys = new Float32Array(n * 2);
for (let i = 0; i < n; i++) {
  const cls = i % 2;
  ys[i * 2 + cls] = 1;
  for (let p = 0; p < 32 * 32 * 3; p++) {
    const row = Math.floor(p / 96);
    xs[i * 3072 + p] = rng.normal(0, 0.3) + (row < 16 === (cls === 0) ? 1 : 0);
  }
}
const seeded = (seed: number) => ({ kernelInitializer: tfl.initializers.heNormal({ seed }) });
const model = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded(1) }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded(2) }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dropout({ rate: 0.3, seed: 3 }),
    tfl.layers.dense({ units: 2, activation: 'softmax', ...seeded(4) }),
  ],
});
model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const x = tf.tensor4d(xs, [n, 32, 32, 3]);
const y = tf.tensor2d(ys, [n, 2]);
const bar = new ProgressBar({ total: args.steps, label: 'train' });
const losses: number[] = [];
const t0 = performance.now();
await model.fit(x, y, {
  epochs: args.steps,
  batchSize: n,
  shuffle: false,
  verbose: 0,
  callbacks: {
    onEpochEnd: async (_epoch, logs) => {
      const loss = Number(logs?.loss);
      losses.push(loss);
      bar.tick(1, `loss ${loss.toFixed(4)}`);
    },
  },
});
bar.done();
const trainSeconds = (performance.now() - t0) / 1000;
console.log(
  `trained ${args.steps} steps of a 2-conv net on ${n} images in ${trainSeconds.toFixed(2)} s; loss ${losses[0]?.toFixed(4)} -> ${losses.at(-1)?.toFixed(4)}`,
);

let image: { path: string; width: number; height: number; probabilities: number[] } | undefined;
if (args.data !== undefined) {
  const original = await decodeImage(args.data);
  const small = await resizeImage(args.data, { width: 32, height: 32, kernel: 'linear' });
  const input = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(small.data), [1, 32, 32, 3]), 255));
  const probs = Array.from((model.predict(input) as tf.Tensor).dataSync());
  image = { path: args.data, width: original.width, height: original.height, probabilities: probs };
  console.log(`${args.data}: ${original.width}x${original.height}, P(top-bright) = ${probs[0]?.toFixed(3)}`);
}

console.log(
  JSON.stringify({
    example: 'runtime-demo',
    backend: info.backend,
    simd: info.simd,
    matmul_gflops: Number(gflops.toFixed(2)),
    train_steps: args.steps,
    train_seconds: Number(trainSeconds.toFixed(3)),
    loss_first: losses[0],
    loss_last: losses.at(-1),
    ...(image ? { image } : {}),
  }),
);
