/**
 * @aiffel/seq2seq-attn against PyTorch on the CPU (Debian python3-torch, 2 threads), same run and
 * the same architecture: embedding 128, hidden 256, 3-layer LSTM encoder (dropout 0.2), 1-layer
 * decoder from the encoder's final state, Bahdanau attention, source vocabulary 8,000, target
 * 2,000, source length 80, target length 10, batch 256, Adam. Random ids (speed does not depend
 * on the data). Ours: tfjs wasm backend with fused LSTM/attention ops, data-parallel on 2 worker
 * threads (both cores, as PyTorch's 2 threads); the one-thread figure is an extra field.
 * Headline: train_target_tokens_per_second (higher is better); greedy decoding ms per sequence
 * and the pointer-generator with coverage (copy: true, coverage: true; same sizes, 2 workers)
 * as extra fields, the latter with its ratio to the plain model in the same run.
 * Usage: npm run bench -- seq2seq [batches]   (default 3, after one warm-up batch)
 */
import { Rng, ready } from '@aiffel/runtime';
import { Seq2Seq, Vocabulary } from '@aiffel/seq2seq-attn';
import { fmt, report, runPythonPeer } from './harness.js';

const batches = Number(process.argv[2] ?? 3);
const [SV, TV, TS, TT, B] = [8000, 2000, 80, 10, 256];
await ready();
const rng = new Rng(1);
const src = Vocabulary.fromWords(Array.from({ length: SV - 4 }, (_, i) => `s${i}`));
const tgt = Vocabulary.fromWords(Array.from({ length: TV - 4 }, (_, i) => `t${i}`));
const words = (prefix: string, vocab: number, n: number): string =>
  Array.from({ length: n }, () => `${prefix}${Math.floor(rng.random() * (vocab - 4))}`).join(' ');
// Targets of TT - 1 words plus EOS fill the TT decoder steps, as the peer's do.
const pairs = Array.from({ length: (batches + 1) * B }, () => ({ source: words('s', SV, TS), target: words('t', TV, TT - 1) }));
const architecture = {
  sourceVocab: src,
  targetVocab: tgt,
  embeddingDim: 128,
  hiddenSize: 256,
  encoderLayers: 3,
  dropout: 0.2,
  attention: 'bahdanau',
  maxSourceLength: TS,
  maxTargetLength: TT,
} as const;
const model = new Seq2Seq(architecture);

/** Median ms per training batch (the first batch is a warm-up). */
async function msPerBatch(workers: number, m: Seq2Seq = model): Promise<number> {
  const stamps: number[] = [];
  await m.fit(pairs, { epochs: 1, batchSize: B, workers, onProgress: (p) => p.phase === 'batch' && stamps.push(performance.now()), onWarning: () => {} });
  const per = stamps
    .slice(1)
    .map((t, i) => t - (stamps[i] as number))
    .sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)] as number;
}
const msBatch = await msPerBatch(2);
const msBatchOne = await msPerBatch(1);
const tokensPerSecond = (B * TT) / (msBatch / 1000);
const copyModel = new Seq2Seq({ ...architecture, copy: true, coverage: true });
const msBatchCopy = await msPerBatch(2, copyModel);
copyModel.dispose();

const texts = pairs.slice(0, 21).map((p) => p.source);
model.summarize([texts[0] as string]);
const lat: number[] = [];
for (const t of texts.slice(1)) {
  const t0 = performance.now();
  model.summarize([t]);
  lat.push(performance.now() - t0);
}
lat.sort((a, b) => a - b);
const greedyMs = lat[Math.floor(lat.length / 2)] as number;

const peer = runPythonPeer('seq2seq_peer.py', [String(batches)]);
const p = peer.ok ? (peer.result as Record<string, number>) : {};
if (!peer.ok) console.error(peer.reason);
report(
  {
    bench: 'seq2seq',
    metric: 'train_target_tokens_per_second',
    unit: 'tokens/s',
    better: 'higher',
    ours: Number(tokensPerSecond.toFixed(1)),
    peer: p.train_target_tokens_per_second ?? null,
    peer_name: `PyTorch ${p.torch_version ?? '?'} CPU, ${p.torch_threads ?? 2} threads (Debian python3-torch)`,
    ms_per_batch: Number(msBatch.toFixed(0)),
    ms_per_batch_one_thread: Number(msBatchOne.toFixed(0)),
    ms_per_batch_torch: p.ms_per_batch ?? null,
    ms_per_batch_copy_coverage: Number(msBatchCopy.toFixed(0)),
    copy_coverage_over_plain: Number((msBatchCopy / msBatch).toFixed(3)),
    greedy_ms_per_sequence: Number(greedyMs.toFixed(1)),
    greedy_ms_per_sequence_torch: p.greedy_ms_per_sequence ?? null,
    parameters: model.parameterCount,
    batches,
  },
  [
    [
      'train target tokens/s (batch 256)',
      fmt(tokensPerSecond, 0),
      fmt(p.train_target_tokens_per_second, 0),
      p.train_target_tokens_per_second ? fmt(tokensPerSecond / p.train_target_tokens_per_second) : 'n/a',
    ],
    ['ms per batch (2 workers / 2 threads)', fmt(msBatch, 0), fmt(p.ms_per_batch, 0), p.ms_per_batch ? fmt(msBatch / p.ms_per_batch) : 'n/a'],
    ['ms per batch, ours on one thread', fmt(msBatchOne, 0), fmt(p.ms_per_batch, 0), p.ms_per_batch ? fmt(msBatchOne / p.ms_per_batch) : 'n/a'],
    ['ms per batch, copy + coverage (2 workers)', fmt(msBatchCopy, 0), fmt(p.ms_per_batch, 0), p.ms_per_batch ? fmt(msBatchCopy / p.ms_per_batch) : 'n/a'],
    [
      'greedy decode ms / sequence',
      fmt(greedyMs, 1),
      fmt(p.greedy_ms_per_sequence, 1),
      p.greedy_ms_per_sequence ? fmt(greedyMs / p.greedy_ms_per_sequence) : 'n/a',
    ],
  ],
);
