/**
 * Our side of `npm run bench -- vgg`, one measurement per process (a run that exhausts the
 * wasm backend's 4 GiB memory must not take the others down):
 * `node --import tsx vgg-task.ts vgg16-forward|vgg16-train|cifar-train [reps]` prints one JSON line
 * `{ ms, max_rss_mb }` on @aiffel/runtime's wasm backend (tfjs's wasm backend runs one thread in Node).
 */
import { ready, tf } from '@aiffel/runtime';
import { vgg, vggCifar } from '@aiffel/vgg';

const [what = 'cifar-train', repsArg = '3'] = process.argv.slice(2);
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

await ready();
const imagenet = what.startsWith('vgg16');
const m = imagenet ? vgg({ config: 16 }) : vggCifar();
const batch = imagenet ? 8 : 64;
const side = imagenet ? 224 : 32;
const classes = imagenet ? 1000 : 10;
m.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
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
else throw new RangeError(`measurement must be vgg16-forward, vgg16-train or cifar-train, got ${what}`);
console.log(JSON.stringify({ ms, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
