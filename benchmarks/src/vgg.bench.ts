/**
 * @aiffel/vgg against PyTorch on the CPU (Debian python3-torch, 2 threads), same run: VGG-16
 * forward at batch 8 (224x224), one VGG-16 SGD step at batch 8, and a step of the compact CIFAR
 * VGG-11 with batch norm at batch 64 (32x32). Ours: tfjs's wasm backend with @aiffel/runtime's GEMM
 * engine (both cores on one product) and gradient kernels; the forward pass also with tfjs's own
 * XNNPACK kernels (one thread), same run. Headline: vgg16_forward_ms, peer PyTorch.
 * Usage: npm run bench -- vgg [reps]   (default 3)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, fmt, report, runPythonPeer } from './harness.js';

const reps = process.argv[2] ?? '3';

function ours(what: string, kernels: 'aiffel' | 'xnnpack' = 'aiffel'): { ms: number | null; error?: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'vgg-task.ts'), what, reps, kernels], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) {
    const tail =
      (r.stderr || '')
        .split('\n')
        .filter((l) => /Error|Aborted|memory/i.test(l))
        .slice(-1)[0] ?? `exit ${r.status}`;
    return { ms: null, error: tail.trim().slice(0, 200) };
  }
  return { ms: (JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { ms: number }).ms };
}

const forward = ours('vgg16-forward');
const forwardXnn = ours('vgg16-forward', 'xnnpack');
const cifarXnn = ours('cifar-train', 'xnnpack');
const train = ours('vgg16-train');
const cifar = ours('cifar-train');
const cifar2 = ours('cifar-train-2workers');
const peer = runPythonPeer('vgg_peer.py', [reps]);
const p = peer.ok ? (peer.result as Record<string, number>) : {};
if (!peer.ok) console.error(peer.reason);
for (const [name, r] of Object.entries({ forward, forwardXnn, train, cifar, cifarXnn, cifar2 })) if (r.error) console.error(`ours ${name}: ${r.error}`);
const ratio = (a: number | null, b: number | undefined): string => (a === null || b === undefined ? 'n/a' : fmt(a / b));
report(
  {
    bench: 'vgg',
    metric: 'vgg16_forward_ms',
    unit: 'ms',
    better: 'lower',
    ours: forward.ms ?? Number.NaN,
    peer: p.vgg16_forward_ms ?? null,
    peer_name: `PyTorch ${p.torch_version ?? '?'} CPU, ${p.torch_threads ?? 2} threads (Debian python3-torch)`,
    vgg16_train_step_ms: train.ms,
    vgg16_train_step_ms_torch: p.vgg16_train_step_ms,
    vgg16_train_step_error: train.error,
    vgg16_forward_ms_xnnpack: forwardXnn.ms,
    cifar_vgg11_train_step_ms_xnnpack: cifarXnn.ms,
    cifar_vgg11_train_step_ms: cifar.ms,
    cifar_vgg11_train_step_ms_torch: p.cifar_vgg11_train_step_ms,
    cifar_vgg11_train_step_ms_2workers: cifar2.ms,
  },
  [
    ['VGG-16 forward, batch 8, 224x224, ms', fmt(forward.ms, 0), fmt(p.vgg16_forward_ms, 0), ratio(forward.ms, p.vgg16_forward_ms)],
    ['the same on XNNPACK, ms', fmt(forwardXnn.ms, 0), fmt(p.vgg16_forward_ms, 0), ratio(forwardXnn.ms, p.vgg16_forward_ms)],
    [
      'VGG-16 SGD step, batch 8, ms',
      train.ms === null ? `failed: ${train.error}` : fmt(train.ms, 0),
      fmt(p.vgg16_train_step_ms, 0),
      ratio(train.ms, p.vgg16_train_step_ms),
    ],
    ['CIFAR VGG-11-BN SGD step, batch 64, ms', fmt(cifar.ms, 0), fmt(p.cifar_vgg11_train_step_ms, 0), ratio(cifar.ms, p.cifar_vgg11_train_step_ms)],
    ['the same on XNNPACK, ms', fmt(cifarXnn.ms, 0), fmt(p.cifar_vgg11_train_step_ms, 0), ratio(cifarXnn.ms, p.cifar_vgg11_train_step_ms)],
    ['the same with train({ workers: 2 }), ms', fmt(cifar2.ms, 0), fmt(p.cifar_vgg11_train_step_ms, 0), ratio(cifar2.ms, p.cifar_vgg11_train_step_ms)],
  ],
);
