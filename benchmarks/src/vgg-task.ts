/**
 * Our side of `npm run bench -- vgg`, one measurement per process (a run that exhausts the
 * wasm backend's 4 GiB memory must not take the others down):
 * `node --import tsx vgg-task.ts vgg16-forward|vgg16-train|cifar-train|cifar-train-2workers [reps] [aiffel|xnnpack]` prints one
 * JSON line `{ ms, max_rss_mb }` on @aiffel/runtime's wasm backend, with its GEMM engine (`aiffel`,
 * default) or tfjs's XNNPACK kernels (`xnnpack`, one thread in Node).
 */
import { createOptimizer, ready, tf } from '@aiffel/runtime';
import { train, vgg, vggCifar } from '@aiffel/vgg';

const [what = 'cifar-train', repsArg = '3', kernels = 'aiffel'] = process.argv.slice(2);
if (kernels !== 'aiffel' && kernels !== 'xnnpack') throw new RangeError(`kernels must be aiffel or xnnpack, got ${kernels}`);
const reps = Number(repsArg);

async function medianMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)] as number;
}

await ready({ kernels });
const imagenet = what.startsWith('vgg16');
const m = imagenet ? vgg({ config: 16 }) : vggCifar();
const batch = imagenet ? 8 : 64;
const side = imagenet ? 224 : 32;
const classes = imagenet ? 1000 : 10;
// The runtime's momentum SGD (tfjs's update with one temporary per variable instead of four),
// which @aiffel/vgg's train() uses too: with tfjs's own, VGG-16 at batch 8 runs out of wasm memory.
m.compile({ optimizer: createOptimizer('momentum', 0.01).optimizer, loss: 'categoricalCrossentropy' });
const x = tf.randomUniform([batch, side, side, 3], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32', 2) as tf.Tensor1D, classes);
let ms: number;
if (what === 'vgg16-forward')
  ms = await medianMs(() => {
    const p = m.predict(x) as tf.Tensor;
    p.dataSync();
    p.dispose();
  });
else if (what === 'vgg16-train' || what === 'cifar-train') ms = await medianMs(() => m.trainOnBatch(x, y));
else if (what === 'cifar-train-2workers') {
  // @aiffel/vgg's train() on two worker threads: the median time between batches, after the first.
  const data = { x: tf.tile(x, [reps + 2, 1, 1, 1]) as tf.Tensor4D, y: Array.from({ length: batch * (reps + 2) }, (_, i) => i % classes) };
  const times: number[] = [];
  let t = performance.now();
  await train(m, data, {
    epochs: 1,
    batchSize: batch,
    schedule: () => 0.01,
    workers: 2,
    onProgress: (p) => {
      if (p.phase !== 'batch') return;
      const now = performance.now();
      times.push(now - t);
      t = now;
    },
  });
  const rest = times.slice(1).sort((a, b) => a - b);
  ms = rest[Math.floor(rest.length / 2)] as number;
} else throw new RangeError(`measurement must be vgg16-forward, vgg16-train, cifar-train or cifar-train-2workers, got ${what}`);
console.log(JSON.stringify({ ms, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
