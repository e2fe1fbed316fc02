import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringEngine } from '../src/engine/scoring-engine.js';
import { samplePhotos } from '../src/model/demo-task.js';
import { ScoreModel } from '../src/model/score-model.js';
import { buildServer, defaultServerOptions } from '../src/server/app.js';
import { ensureDemoModel, here } from './helpers.js';

// Debian's chromium, driven by playwright-core (no browser download). .ci/run installs it when missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
const shots = join(here, 'out', 'screenshots');

let engine: ScoringEngine;
let app: Awaited<ReturnType<typeof buildServer>>;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  engine = await ScoringEngine.create({ model: await ScoreModel.load(ensureDemoModel()), workers: 2 });
  app = await buildServer(engine, defaultServerOptions(2));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await engine?.close();
});

describe.skipIf(!haveChromium)('the page in headless Chromium', () => {
  it('uploads a photo, shows the status, group and score, and draws the face box', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(base);
    await page.waitForFunction(() => !document.getElementById('model-note')?.textContent?.startsWith('Loading'));
    expect(await page.textContent('#model-note')).toContain('Demo model, not a real face score');
    // Hold the request back a moment so the waiting state can be seen: progress and a preview.
    await page.route('**/api/score', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/score'));
    await page.setInputFiles('#file', samplePhotos()[0] as string);
    await page.waitForSelector('#progress:not([hidden])');
    await page.waitForSelector('#preview:not([hidden])');
    expect(await page.isDisabled('#portrait')).toBe(true);
    const json = (await (await answer).json()) as {
      faces: { box: { x: number; y: number; width: number; height: number }; score: { level: number; label: string } }[];
    };
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#status')).toBe('3 faces found; the largest is scored (click another box to see its result)');
    expect(await page.textContent('#group')).toMatch(/^(female|male) \(no gate\) · \d+%$/);
    const face = json.faces[0] as (typeof json.faces)[0];
    expect(await page.textContent('#score')).toBe(`${face.score.label} (level ${face.score.level} of 5)`);
    expect(await page.locator('.level').count()).toBe(5);
    expect(await page.locator('#lookalikes li').count()).toBe(5);
    // The largest face's box is drawn in green on the canvas: sample the middle of its left edge.
    const pixel = await page.evaluate(
      ([x, y]) => {
        const c = document.getElementById('canvas') as HTMLCanvasElement;
        return Array.from((c.getContext('2d') as CanvasRenderingContext2D).getImageData(x as number, y as number, 1, 1).data);
      },
      [Math.round(face.box.x), Math.round(face.box.y + face.box.height / 2)],
    );
    const green = [0x38, 0xd9, 0x6b];
    for (const [i, v] of pixel.slice(0, 3).entries()) expect(Math.abs(v - (green[i] as number)), `channel ${i}`).toBeLessThanOrEqual(3);
    await page.screenshot({ path: join(shots, 'result.png'), fullPage: true });

    // Portrait mode shows the blurred photo.
    await page.click('#portrait');
    await page.waitForSelector('#portrait-result:not([hidden])');
    await page.waitForFunction(() => (document.getElementById('portrait-img') as HTMLImageElement).naturalWidth > 0);
    expect(await page.evaluate(() => (document.getElementById('portrait-img') as HTMLImageElement).naturalWidth)).toBe(1920);
    await page.screenshot({ path: join(shots, 'portrait.png'), fullPage: true });
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('shows the server error for a file that is not an image', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const fake = join(tmpdir(), `not-a-photo-${process.pid}.jpg`);
    writeFileSync(fake, 'this is text pretending to be a JPEG');
    await page.setInputFiles('#file', fake);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(/^not an image: only JPEG, PNG and WebP photos are accepted/);
    expect(await page.isHidden('#result')).toBe(true);
    await page.screenshot({ path: join(shots, 'error.png') });
    expect(readFileSync(join(shots, 'error.png')).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });
});
