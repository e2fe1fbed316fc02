#!/usr/bin/env node
// `npm run example -- face-scoring serve | train | --smoke`: the face-scoring web app.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FaceEmbedder } from '@aiffel/face-embed';
import { ProgressBar } from '@aiffel/runtime';
import { ScoringEngine } from './engine/scoring-engine.js';
import { confusionPng } from './model/confusion-png.js';
import { DEMO_DESCRIPTION, demoPhotos, samplePhotos } from './model/demo-task.js';
import { listLabelledPhotos } from './model/labelled-photos.js';
import { type Backbone, ScoreModel } from './model/score-model.js';
import { trainScoreModel } from './model/train.js';
import { oneFacePhoto } from './one-face-photo.js';
import { buildServer, defaultServerOptions } from './server/app.js';

const here = dirname(fileURLToPath(import.meta.url));
const exampleDir = resolve(here, '..');
export const DEMO_MODEL_DIR = join(exampleDir, 'out', 'demo-model');

const USAGE = `usage:
  face-scoring serve [--port 8080] [--host 127.0.0.1] [--model DIR] [--gallery DIR] [--workers N] [--cors ORIGIN]
                     [--queue 8] [--timeout-ms 20000] [--max-upload-mb 10]
  face-scoring train [--data DIR] [--out DIR] [--backbone auto|descriptor|appearance] [--copies 8] [--test-share 0.25] [--seed 0]
  face-scoring --smoke [--model DIR]`;

/** A usage error: exit code 2 and the flag named. */
class UsageError extends Error {}

function int(name: string, v: string | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
}
function num(name: string, v: string | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
}

async function train(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      backbone: { type: 'string', default: 'auto' },
      copies: { type: 'string' },
      'test-share': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const backbone = values.backbone as Backbone | 'auto';
  if (!['auto', 'descriptor', 'appearance'].includes(backbone))
    throw new UsageError(`--backbone must be auto, descriptor or appearance, got ${JSON.stringify(backbone)}`);
  const out = resolve(values.out ?? (values.data === undefined ? DEMO_MODEL_DIR : join(exampleDir, 'out', 'model')));
  await trainTo(out, {
    data: values.data,
    backbone,
    copies: int('copies', values.copies, 0, 50, 8),
    testShare: num('test-share', values['test-share'], 0, 0.9, 0.25),
    seed: int('seed', values.seed, 0, 2 ** 31 - 1, 0),
  });
}

/** Trains and writes `out/model.json`, `out/report.json` and `out/confusion.png`; prints the report. */
export async function trainTo(
  out: string,
  o: { data?: string; backbone: Backbone | 'auto'; copies: number; testShare: number; seed: number },
): Promise<ScoreModel> {
  const embedder = await FaceEmbedder.load({ ageGender: true });
  try {
    let photos: Awaited<ReturnType<typeof demoPhotos>>;
    let gateKind: 'trained' | 'gender-net' | 'none';
    let description: string;
    if (o.data === undefined) {
      console.log('no --data: training the built-in DEMO task (apparent-age rank of the face-api.js sample faces; not a real face score)');
      photos = await demoPhotos(embedder);
      gateKind = 'none';
      description = DEMO_DESCRIPTION;
    } else {
      const listed = listLabelledPhotos(o.data);
      photos = listed.photos;
      gateKind = listed.nested ? 'trained' : 'none';
      description = `Trained on ${photos.length} photos of ${resolve(o.data)} (${listed.nested ? '<group>/<level>: a trained gate, then a head per group' : '<level>: one head, no gate'}).`;
    }
    const bar = new ProgressBar({ total: photos.length, label: 'embedding photos' });
    const result = await trainScoreModel(embedder, photos, {
      gateKind,
      backbone: o.backbone,
      copies: o.copies,
      testShare: o.testShare,
      seed: o.seed,
      description,
      demo: o.data === undefined,
      onProgress: (done) => bar.update(done),
    });
    bar.done();
    mkdirSync(out, { recursive: true });
    await result.model.save(out);
    writeFileSync(
      join(out, 'report.json'),
      JSON.stringify({ reports: result.reports, skipped: result.skipped, train: result.train, test: result.test }, null, 2),
    );
    const chosen = result.reports[result.model.backbone];
    if (chosen)
      await writeFileAtomic(
        join(out, 'confusion.png'),
        await confusionPng(chosen.labels, chosen.confusion, `held-out confusion (${result.model.backbone}), ${chosen.photos} photos`),
      );
    for (const s of result.skipped) console.log(`skipped ${s.unit}: ${s.reason}`);
    console.log(`photos: ${result.train} train, ${result.test} held out (augmented copies stay with their photo)`);
    for (const [b, r] of Object.entries(result.reports)) {
      console.log(
        `\n${b}${b === result.model.backbone ? ' (kept)' : ''}: accuracy ${r.accuracy.toFixed(3)}, macro F1 ${r.macroF1.toFixed(3)}, ROC AUC (one-vs-rest) ${r.rocAucOvr?.toFixed(3) ?? 'n/a'}${r.gateAccuracy === null ? '' : `, gate accuracy ${r.gateAccuracy.toFixed(3)}`}`,
      );
      console.log('  class                         precision recall  f1     support');
      for (const c of r.perClass) console.log(`  ${c.label.padEnd(30)} ${c.precision.toFixed(3)}     ${c.recall.toFixed(3)}  ${c.f1.toFixed(3)}  ${c.support}`);
    }
    const kept = result.reports[result.model.backbone];
    console.log(`\nmodel written to ${out}`);
    console.log(
      JSON.stringify({
        model: out,
        backbone: result.model.backbone,
        train_photos: result.train,
        test_photos: result.test,
        accuracy: kept?.accuracy ?? null,
        macro_f1: kept?.macroF1 ?? null,
        roc_auc_ovr: kept?.rocAucOvr ?? null,
        descriptor_accuracy: result.reports.descriptor?.accuracy ?? null,
        appearance_accuracy: result.reports.appearance?.accuracy ?? null,
      }),
    );
    return result.model;
  } finally {
    embedder.dispose();
  }
}

async function writeFileAtomic(path: string, data: Buffer): Promise<void> {
  const { rename, writeFile, rm } = await import('node:fs/promises');
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The model of --model, or the demo model (trained on first use into out/demo-model). */
async function loadModel(dir: string | undefined): Promise<ScoreModel> {
  if (dir !== undefined) return ScoreModel.load(resolve(dir));
  if (!existsSync(join(DEMO_MODEL_DIR, 'model.json'))) {
    console.log(`no --model and no ${DEMO_MODEL_DIR}: training the demo model first`);
    await trainTo(DEMO_MODEL_DIR, { backbone: 'auto', copies: 8, testShare: 0.25, seed: 0 });
  }
  return ScoreModel.load(DEMO_MODEL_DIR);
}

async function serve(argv: string[], smoke: boolean): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      model: { type: 'string' },
      gallery: { type: 'string' },
      workers: { type: 'string' },
      cors: { type: 'string' },
      queue: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-upload-mb': { type: 'string' },
      smoke: { type: 'boolean' },
    },
  });
  const port = smoke ? 0 : int('port', values.port, 0, 65535, 8080);
  if (values.cors !== undefined && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(values.cors))
    throw new UsageError(`--cors must be one origin like https://example.org, got ${JSON.stringify(values.cors)}`);
  const workers = int('workers', values.workers, 1, 16, Math.max(1, (await import('node:os')).availableParallelism()));
  const model = await loadModel(values.model);
  console.log(`model: ${model.description}`);
  const engine = await ScoringEngine.create({ model, gallery: values.gallery, workers, onProgress: (m) => console.log(m) });
  const options = {
    ...defaultServerOptions(workers),
    maxQueued: int('queue', values.queue, 0, 1000, 8),
    timeoutMs: int('timeout-ms', values['timeout-ms'], 100, 600_000, 20_000),
    maxUploadBytes: Math.round(num('max-upload-mb', values['max-upload-mb'], 0.01, 100, 10) * 2 ** 20),
    ...(values.cors !== undefined && { cors: values.cors }),
  };
  const app = await buildServer(engine, options);
  const address = await app.listen({ port, host: values.host });
  console.log(`face-scoring: listening on ${address} (${workers} worker threads); open it in a browser`);
  const stop = async () => {
    await app.close();
    await engine.close();
  };
  if (!smoke) {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop().then(() => process.exit(0)));
    return;
  }
  try {
    const group = samplePhotos()[0] as string;
    const first = await postPhoto(address, await readFile(group));
    const photo = await oneFacePhoto(group, first);
    const t0 = performance.now();
    const r = await postPhoto(address, photo);
    const latency = performance.now() - t0;
    const face = r.faces[r.used ?? 0];
    console.log(`default photo (1920x1280, cut from ${group.split('/').pop()}): ${r.message}`);
    console.log(
      JSON.stringify({
        status: r.status,
        faces: r.faces.length,
        group: face?.group.label ?? null,
        group_probability: face?.group.probability ?? null,
        score_label: face?.score.label ?? null,
        score_level: face?.score.level ?? null,
        lookalike: r.lookalikes[0]?.name ?? null,
        latency_ms: Math.round(latency),
        demo_model: model.demo,
      }),
    );
  } finally {
    await stop();
  }
}

async function postPhoto(base: string, bytes: Buffer): Promise<import('./engine/scoring-engine.js').ScoreResponse & { latency_ms: number }> {
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${base}/api/score`, { method: 'POST', body: form });
  const body = (await res.json()) as { error?: string };
  if (!res.ok) throw new Error(`POST /api/score answered ${res.status}: ${body.error}`);
  return body as never;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'train') return train(rest);
  if (command === 'serve') return serve(rest, false);
  if (command === '--smoke' || rest.includes('--smoke'))
    return serve([...(command === '--smoke' ? [] : [command as string]), ...rest.filter((a) => a !== '--smoke'), '--smoke'], true);
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(command === undefined ? 'a command is needed' : `unknown command ${JSON.stringify(command)}`);
}

main().catch((e: Error) => {
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`face-scoring: ${e.message}${usage ? `\n${USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
