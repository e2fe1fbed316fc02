/**
 * Compact VGG on CIFAR-10 with @aiffel/vgg:
 *   npm run example -- vgg-cifar10 [--data ../shared/data/cifar10/png-batches] [--quick] [--epochs N] [--width W] [--out dir]
 * Prints the parameter table of configurations A to E, trains the CIFAR-size VGG-11 with batch
 * norm (width multiplier W, default 0.25) with the paper's recipe (SGD momentum 0.9, weight decay
 * 5e-4, learning rate /10 on validation plateaus) and random flips, then reports test accuracy, a
 * confusion matrix and a training-curve PNG. Ends with one JSON line of metrics.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, type Rng, ready, tf, writeImage } from '@aiffel/runtime';
import { accuracy, formatSummary, meanPixel, preprocessPixels, summarize, train, vggCifar } from '@aiffel/vgg';
import { CLASS_NAMES, type ImageSet, loadCifar, syntheticCifar } from './cifar.js';
import { curveSvg } from './curve.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const dataDir = opt('--data');
const epochs = Number(opt('--epochs') ?? (quick ? 3 : 30));
const width = Number(opt('--width') ?? 0.25);
const outDir = opt('--out') ?? 'out';

console.log('VGG configurations at 224x224, 1000 classes:');
for (const config of ['A', 'A-LRN', 'B', 'C', 'D', 'E'] as const) {
  const s = summarize({ config });
  console.log(
    `  ${config.padEnd(6)} ${String(s.weightLayers).padStart(2)} weight layers  ${s.params.toLocaleString('en-US').padStart(12)} parameters  ${(s.flops / 1e9).toFixed(1).padStart(5)} GFLOPs`,
  );
}

await ready();
const limit = quick ? 2000 : Number.POSITIVE_INFINITY;
const { train: trainSet, test: testSet } = dataDir
  ? await loadCifar(dataDir, limit)
  : { train: syntheticCifar(quick ? 1200 : 4000, 1), test: syntheticCifar(quick ? 300 : 1000, 2) };
console.log(
  `${trainSet.labels.length} training and ${testSet.labels.length} test images from ${dataDir ?? 'built-in data (pass --data .../cifar10/png-batches for CIFAR-10)'}`,
);

// The paper subtracts the training set's mean pixel.
const mean = meanPixel([trainSet.pixels]);
const toTensor = (set: ImageSet): tf.Tensor4D => tf.tensor4d(preprocessPixels(set.pixels, { mode: 'caffe', mean }), [set.labels.length, 32, 32, 3]);
const holdOut = Math.floor(trainSet.labels.length / 10);
const nFit = trainSet.labels.length - holdOut;
const all = toTensor(trainSet);
const fit = { x: tf.slice(all, 0, nFit) as tf.Tensor4D, y: trainSet.labels.slice(0, nFit) };
const validation = { x: tf.slice(all, nFit, holdOut) as tf.Tensor4D, y: trainSet.labels.slice(nFit) };
const test = { x: toTensor(testSet), y: testSet.labels };

const model = vggCifar({ widthMultiplier: width, seed: 1 });
console.log(
  formatSummary(summarize({ config: 11, inputShape: [32, 32, 3], numClasses: 10, classifierWidth: 512, batchNorm: true, widthMultiplier: width }))
    .split('\n')
    .slice(-2)
    .join('\n'),
);

// Random horizontal flips, one coin per image.
const flips = (x: tf.Tensor4D, rng: Rng): tf.Tensor4D =>
  tf.tidy(() => {
    const coins = tf.reshape(
      tf.tensor1d(
        Array.from({ length: x.shape[0] }, () => (rng.random() < 0.5 ? 1 : 0)),
        'bool',
      ),
      [x.shape[0], 1, 1, 1],
    );
    return tf.where(coins, tf.reverse(x, 2), x) as tf.Tensor4D;
  });

const t0 = performance.now();
const logs = await train(model, fit, {
  epochs,
  batchSize: 64,
  learningRate: 0.05,
  validation,
  patience: 2,
  augmentBatch: flips,
  seed: 1,
  onEpoch: (l) =>
    console.log(
      `epoch ${l.epoch}: loss ${l.loss.toFixed(3)}, validation accuracy ${(l.valAccuracy ?? 0).toFixed(3)}, lr ${l.learningRate}, ${l.seconds.toFixed(1)} s`,
    ),
});
const seconds = (performance.now() - t0) / 1000;

const testAccuracy = accuracy(model, test);
const pred = tf.tidy(() => tf.argMax(model.predict(test.x) as tf.Tensor, 1).dataSync());
const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
test.y.forEach((t, i) => {
  (confusion[t] as number[])[pred[i] as number] = ((confusion[t] as number[])[pred[i] as number] as number) + 1;
});
console.log('confusion matrix (rows: true class, columns: predicted):');
console.log(`${''.padEnd(11)}${CLASS_NAMES.map((c) => c.slice(0, 5).padStart(6)).join('')}`);
confusion.forEach((row, i) => console.log(`${(CLASS_NAMES[i] as string).padEnd(11)}${row.map((v) => String(v).padStart(6)).join('')}`));

mkdirSync(outDir, { recursive: true });
const curvePath = join(outDir, 'vgg-cifar10-curve.png');
const svg = curveSvg(
  `Compact VGG-11-BN (width ${width}) on ${dataDir ? 'CIFAR-10' : 'built-in images'}`,
  logs.map((l) => l.valAccuracy ?? 0),
  logs.map((l) => l.loss),
);
await writeImage(curvePath, await decodeImage(Buffer.from(svg), { channels: 3 }));
console.log(`test accuracy ${(testAccuracy * 100).toFixed(1)}% after ${logs.length} epochs, ${seconds.toFixed(0)} s; training curve: ${curvePath}`);
console.log(
  JSON.stringify({
    example: 'vgg-cifar10',
    data: dataDir ?? 'built-in',
    width_multiplier: width,
    train_images: nFit,
    test_images: test.y.length,
    epochs: logs.length,
    test_accuracy: testAccuracy,
    train_seconds: seconds,
    confusion,
  }),
);
