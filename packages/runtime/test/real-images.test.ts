import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, imageToTensor } from '../src/index.js';

// Real photos from ../shared/data/portrait (read in place, never copied; see its SOURCE.md).
const portrait = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'portrait');
const present = existsSync(join(portrait, 'manifest.csv'));
if (!present) console.warn(`skipping real-image tests: ${portrait} is absent (it is present in CI)`);

describe.skipIf(!present)('decoding the real portrait photos and masks', () => {
  const rows = present
    ? readFileSync(join(portrait, 'manifest.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => {
          const [id, image, mask, width, height, fraction] = line.split(',');
          return { id, image: image as string, mask: mask as string, width: Number(width), height: Number(height), fraction: Number(fraction) };
        })
    : [];

  it('decodes every JPEG at the size the manifest gives', async () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const img = await decodeImage(join(portrait, r.image));
      expect([img.width, img.height, img.channels]).toEqual([r.width, r.height, 3]);
    }
  });

  it('decodes every mask as grey and reproduces the person fraction of the manifest', async () => {
    for (const r of rows) {
      const m = await decodeImage(join(portrait, r.mask), { channels: 1 });
      let on = 0;
      for (const v of m.data) if (v >= 128) on++;
      expect(on / m.data.length).toBeCloseTo(r.fraction, 3);
    }
  });

  it('turns a photo into a normalised tensor', async () => {
    const first = rows[0];
    if (!first) throw new Error('manifest is empty');
    const t = await imageToTensor(join(portrait, first.image), { normalize: true });
    expect(t.shape).toEqual([first.height, first.width, 3]);
    const max = t.max().dataSync()[0] as number;
    expect(max).toBeGreaterThan(0.5);
    expect(max).toBeLessThanOrEqual(1);
  });
});
