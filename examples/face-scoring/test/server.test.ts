import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringEngine } from '../src/engine/scoring-engine.js';
import { samplePhotos } from '../src/model/demo-task.js';
import { ScoreModel } from '../src/model/score-model.js';
import { oneFacePhoto } from '../src/one-face-photo.js';
import { buildServer, defaultServerOptions, type ServerOptions } from '../src/server/app.js';
import { ensureDemoModel, pngDeclaring, post } from './helpers.js';

let engine: ScoringEngine;
const servers: { close(): Promise<unknown> }[] = [];
let base: string;
let scratch: string;
const oldTmp = process.env.TMPDIR;
const sample1 = readFileSync(samplePhotos()[0] as string);

async function start(options: Partial<ServerOptions> = {}): Promise<string> {
  const app = await buildServer(engine, { ...defaultServerOptions(2), maxUploadBytes: 3 * 2 ** 20, ...options });
  servers.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

beforeAll(async () => {
  // Every temporary file the server could write would land here; the last test checks it stays empty.
  scratch = mkdtempSync(join(tmpdir(), 'face-scoring-tmp-'));
  process.env.TMPDIR = scratch;
  const model = await ScoreModel.load(ensureDemoModel());
  engine = await ScoringEngine.create({ model, workers: 2 });
  base = await start();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await engine?.close();
  process.env.TMPDIR = oldTmp;
});

describe('face-scoring API', () => {
  it('answers health, model and the OpenAPI document, with the security headers and no CORS', async () => {
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', workers: 2, queue: { active: 0, queued: 0 } });
    expect(health.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('DENY');
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    const model = (await (await fetch(`${base}/api/model`)).json()) as { demo: boolean; description: string; levels: Record<string, string[]> };
    expect(model.demo).toBe(true);
    expect(model.description).toMatch(/^Demo model, not a real face score/);
    expect(Object.values(model.levels)[0]).toHaveLength(5);
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/score', '/api/portrait', '/api/health', '/api/model']));
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
  });

  it('scores a group photo: every face largest first, the largest used, its group, its 5-level score and lookalikes', async () => {
    const res = await post(base, '/api/score', sample1);
    expect(res.status).toBe(200);
    const r = (await res.json()) as import('../src/engine/scoring-engine.js').ScoreResponse & { latency_ms: number };
    expect(r.status).toBe('several');
    expect(r.faces).toHaveLength(3);
    const areas = r.faces.map((f) => f.box.width * f.box.height);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    expect(r.used).toBe(0);
    const face = r.faces[0] as (typeof r.faces)[0];
    expect(['female', 'male']).toContain(face.group.label);
    expect(face.score.probabilities).toHaveLength(5);
    expect(face.score.probabilities.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 5);
    expect(face.score.label).toBe(face.score.probabilities[face.score.level - 1]?.label);
    expect(face.landmarks).toHaveLength(68);
    // The gallery holds this very face, so it comes first at a near-zero distance.
    expect(r.lookalikes).toHaveLength(5);
    expect(r.lookalikes[0]?.name).toMatch(/^sample1 #\d$/);
    expect(r.lookalikes[0]?.distance).toBeLessThan(0.05);
    expect(r.lookalikes[0]?.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    expect(r.image.width).toBe(1920);
  });

  it('says "one face" and "no face found", and takes a raw image body too', async () => {
    const first = (await (await post(base, '/api/score', sample1)).json()) as import('../src/engine/scoring-engine.js').ScoreResponse;
    const one = await oneFacePhoto(samplePhotos()[0] as string, first);
    const r1 = (await (await post(base, '/api/score', one, { raw: true, type: 'image/jpeg' })).json()) as { status: string; faces: unknown[] };
    expect(r1.status).toBe('one');
    expect(r1.faces).toHaveLength(1);
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#8899aa' } })
      .png()
      .toBuffer();
    const r0 = (await (await post(base, '/api/score', blank, { type: 'image/png' })).json()) as {
      status: string;
      message: string;
      faces: unknown[];
      lookalikes: unknown[];
    };
    expect(r0).toMatchObject({ status: 'none', message: 'no face found', faces: [], lookalikes: [] });
  });

  it('returns the photo in portrait mode as a JPEG of the analysed size, and refuses a bad strength', async () => {
    const res = await post(base, '/api/portrait', sample1);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1920, 1280]);
    const bad = await post(base, '/api/portrait?strength=5', sample1);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/strength must be a number in \[0.005, 0.1\]/);
  });

  it('refuses hostile uploads with the right status and a message, and the next request still works', async () => {
    const big = Buffer.alloc(4 * 2 ** 20, 7);
    big.set([0xff, 0xd8, 0xff], 0);
    const r413 = await post(base, '/api/score', big);
    expect(r413.status).toBe(413);
    expect(((await r413.json()) as { error: string }).error).toMatch(/larger than the limit of 3145728 bytes/);
    const r413raw = await post(base, '/api/score', big, { raw: true });
    expect(r413raw.status).toBe(413);

    const text = Buffer.from('#!/bin/sh\necho I am not a photo\n');
    const r415 = await post(base, '/api/score', text, { type: 'image/jpeg' });
    expect(r415.status).toBe(415);
    expect(((await r415.json()) as { error: string }).error).toMatch(/not an image.*content is checked, not the file name/);

    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(100);
    const r422 = await post(base, '/api/score', bomb, { type: 'image/png' });
    expect(r422.status).toBe(422);
    expect(((await r422.json()) as { error: string }).error).toMatch(/too large: 30000x30000 = 900000000 pixels, the limit is 40000000/);

    const truncated = sample1.subarray(0, Math.floor(sample1.length / 2));
    const rTrunc = await post(base, '/api/score', truncated);
    expect(rTrunc.status).toBe(422);
    expect(((await rTrunc.json()) as { error: string }).error).toMatch(/JPEG file is corrupt or truncated/);

    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 0x41)]);
    const rBad = await post(base, '/api/score', garbage);
    expect(rBad.status).toBe(422);
    expect(((await rBad.json()) as { error: string }).error).toMatch(/JPEG file is corrupt/);

    const empty = await post(base, '/api/score', Buffer.alloc(0));
    expect(empty.status).toBe(422);
    const wrongField = await post(base, '/api/score', sample1, { field: 'file' });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as { error: string }).error).toMatch(/field named "photo"/);
    const json = await fetch(`${base}/api/score`, { method: 'POST', body: '{"photo":1}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);

    const ok = await post(base, '/api/score', sample1);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('several');
  });

  it('maps no URL to a file: traversal attempts get 404', async () => {
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/app.js/../../package.json',
      '/..%2f..%2fpackage.json',
      '/dist/main.js',
      '/index.html',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('root:');
      expect(body).not.toContain('"name"');
    }
  });

  it('refuses work past the bounded queue with 503 and Retry-After, and answers the rest', async () => {
    const tight = await start({ concurrency: 1, maxQueued: 1 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(tight, '/api/score', sample1)));
    const codes = answers.map((a) => a.status).sort();
    expect(codes.filter((c) => c === 503).length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(2);
    const busy = answers.find((a) => a.status === 503) as Response;
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(((await busy.json()) as { error: string }).error).toMatch(/server is busy/);
  });

  it('gives up on a request past its deadline with 504', async () => {
    const hasty = await start({ timeoutMs: 1 });
    const res = await post(hasty, '/api/score', sample1);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: string }).error).toMatch(/longer than 1 ms/);
  });

  it('allows exactly the --cors origin', async () => {
    const open = await start({ cors: 'http://allowed.test' });
    const yes = await fetch(`${open}/api/health`, { headers: { origin: 'http://allowed.test' } });
    expect(yes.headers.get('access-control-allow-origin')).toBe('http://allowed.test');
    const no = await fetch(`${open}/api/health`, { headers: { origin: 'http://evil.test' } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${open}/api/score`, {
      method: 'OPTIONS',
      headers: { origin: 'http://allowed.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    const refused = await fetch(`${open}/api/score`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    expect(refused.status).toBe(403);
  });

  it('left no temporary file behind', () => {
    expect(readdirSync(scratch)).toEqual([]);
  });
});
