import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { awaitStarted, startWorker, WorkerStartError, workerExecArgv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'aiffel-core-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const echo = file(
  'echo.mjs',
  `import { parentPort, workerData } from 'node:worker_threads';
parentPort.on('message', (m) => parentPort.postMessage({ got: m, data: workerData.data, argv: process.execArgv }));`,
);

function ask(worker: import('node:worker_threads').Worker, msg: unknown): Promise<{ got: unknown; data: unknown; argv: string[] }> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(msg);
  });
}

describe('workerExecArgv', () => {
  it('drops entry-point options, module hooks, debugger ports and V8 flags with their values', () => {
    const argv = [
      '--input-type=module',
      '-e',
      'import x from "y"',
      '--import',
      'tsx',
      '--max-old-space-size=4000',
      '--expose-gc',
      '--inspect=9229',
      '--loader',
      'ts-node/esm',
      '-r',
      'dotenv/config',
      '--test',
    ];
    expect(workerExecArgv(argv)).toEqual([]);
  });
  it('keeps options that are harmless and meaningful in a worker', () => {
    expect(workerExecArgv(['--enable-source-maps', '--conditions', 'dev', '-C=x', '--no-warnings', '--input-type', 'module'])).toEqual([
      '--enable-source-maps',
      '--conditions',
      'dev',
      '-C=x',
      '--no-warnings',
    ]);
  });
});

describe('startWorker', () => {
  it('starts a module, hands it its data and answers messages', async () => {
    const { worker, started } = startWorker(echo, { name: 'echo worker', data: { n: 3 } });
    await started;
    const reply = await ask(worker, 'hi');
    expect(reply.got).toBe('hi');
    expect(reply.data).toEqual({ n: 3 });
    await worker.terminate();
  });

  it('waitStartedSync returns once the module has loaded', async () => {
    const w = startWorker(pathToFileURL(echo), { name: 'echo worker' });
    w.waitStartedSync();
    expect((await ask(w.worker, 1)).got).toBe(1);
    await w.worker.terminate();
  });

  it('runs { source } modules, which read their data with workerInput', async () => {
    const coreUrl = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
    const source = `import { parentPort } from 'node:worker_threads';
import { workerInput } from ${JSON.stringify(coreUrl)};
parentPort.postMessage(workerInput().value * 2);`;
    const { worker, started } = startWorker({ source }, { name: 'source worker', data: { value: 21 } });
    const reply = new Promise((resolve) => worker.once('message', resolve));
    await started;
    expect(await reply).toBe(42);
    await worker.terminate();
  });

  it('rejects, naming the worker and the file, when the module file is missing', async () => {
    const missing = join(dir, 'nope.mjs');
    const t0 = Date.now();
    const { started } = startWorker(missing, { name: 'test worker' });
    const err = await started.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkerStartError);
    expect((err as Error).message).toMatch(/^test worker could not start: .*nope\.mjs/s);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('waitStartedSync throws the module error instead of blocking', () => {
    const bad = file('throws.mjs', `throw new Error('boom at start-up');`);
    const w = startWorker(bad, { name: 'test worker' });
    expect(() => w.waitStartedSync()).toThrow(/test worker could not start: Error: boom at start-up/);
  });

  it('times out a module that never finishes loading, both ways', async () => {
    const stuck = file('stuck.mjs', `await new Promise(() => setInterval(() => {}, 1000));`);
    const a = startWorker(stuck, { name: 'stuck worker', timeoutMs: 300 });
    await expect(a.started).rejects.toThrow(/stuck worker could not start: it did not load its module within 300 ms/);
    const b = startWorker(stuck, { name: 'stuck worker', timeoutMs: 300 });
    expect(() => b.waitStartedSync()).toThrow(/within 300 ms/);
  });

  it('refuses a bad timeout and a bad module reference by name', () => {
    expect(() => startWorker(echo, { name: 'w', timeoutMs: 0 })).toThrow(/options\.timeoutMs must be a positive number, got 0/);
    expect(() => startWorker(42 as unknown as string, { name: 'w' })).toThrow(/module must be a file path/);
  });

  it('starts from a program run as `node --input-type=module -e`, whose options would kill an inheriting worker', () => {
    const coreUrl = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
    const program = `import { startWorker } from ${JSON.stringify(coreUrl)};
const { worker, started } = startWorker(${JSON.stringify(echo)}, { name: 'echo worker' });
await started;
worker.once('message', (m) => { console.log(JSON.stringify(m.argv)); worker.terminate(); });
worker.postMessage(0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '--enable-source-maps', '-e', program], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual(['--enable-source-maps']);
  });

  it('awaitStarted returns the reason, stops every worker and warns once with the fallback', async () => {
    const good = startWorker(echo, { name: 'good worker' });
    const goodExited = new Promise((r) => good.worker.once('exit', r));
    const bad = startWorker(join(dir, 'absent.mjs'), { name: 'bad worker' });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const reason = await awaitStarted([good.started, bad.started], [good.worker, bad.worker], 'running on one thread');
      expect(reason).toMatch(/^bad worker could not start: .*absent\.mjs/);
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings.map((w) => [w.name, w.message])).toEqual([['AiffelWorkerWarning', `${reason}; running on one thread`]]);
      await goodExited; // the worker that did start was stopped too
      const ok = startWorker(echo, { name: 'good worker' });
      expect(await awaitStarted([ok.started], [ok.worker], 'x')).toBeUndefined();
      await ok.worker.terminate();
    } finally {
      process.off('warning', onWarning);
    }
  });
});
