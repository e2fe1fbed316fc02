import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PIXELS, decodeImage, encodeImage, imageToTensor, ready, resizeImage, tf, writeImage } from '../src/index.js';

/** A 6x4 RGB image whose pixel (x, y) is (40x, 50y, 200): every pixel is distinguishable. */
function gradient(width = 6, height = 4) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([40 * x, 50 * y, 200], (y * width + x) * 3);
  return { data, shape: [height, width, 3] as [number, number, number] };
}

let dir: string;
beforeAll(async () => {
  await ready();
  dir = await mkdtemp(join(tmpdir(), 'aiffel-img-'));
});

describe('decodeImage / encodeImage', () => {
  it('round-trips lossless formats exactly (PNG, TIFF)', async () => {
    const img = gradient();
    for (const format of ['png', 'tiff'] as const) {
      const bytes = await encodeImage(img, { format });
      const back = await decodeImage(bytes);
      expect(back.shape).toEqual([4, 6, 3]);
      expect(Array.from(back.data)).toEqual(Array.from(img.data));
    }
  });

  it('decodes lossy formats (JPEG, WebP, AVIF) and GIF to the right size and close colours', async () => {
    const big = { data: new Uint8Array(32 * 32 * 3).fill(128), shape: [32, 32, 3] as [number, number, number] };
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const back = await decodeImage(await encodeImage(big, { format, quality: 95 }));
      expect(back.shape).toEqual([32, 32, 3]);
      expect(Math.abs((back.data[100] as number) - 128)).toBeLessThan(6);
    }
    const gif = await sharp(big.data, { raw: { width: 32, height: 32, channels: 3 } })
      .gif()
      .toBuffer();
    expect((await decodeImage(gif)).shape).toEqual([32, 32, 3]);
  });

  it('honours the EXIF orientation tag (6 = rotate 90 degrees clockwise)', async () => {
    const img = gradient(6, 4);
    const jpeg = await sharp(img.data, { raw: { width: 6, height: 4, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const oriented = await decodeImage(jpeg);
    expect(oriented.shape).toEqual([6, 4, 3]);
    const raw = await decodeImage(jpeg, { autoOrient: false });
    expect(raw.shape).toEqual([4, 6, 3]);
  });

  it('reads files, gives RGBA and grey on request, and makes tensors', async () => {
    const path = join(dir, 'g.png');
    await writeImage(path, gradient());
    expect((await decodeImage(path, { channels: 4 })).shape).toEqual([4, 6, 4]);
    expect((await decodeImage(path, { channels: 1 })).shape).toEqual([4, 6, 1]);
    const t = await imageToTensor(path, { normalize: true });
    expect(t.shape).toEqual([4, 6, 3]);
    expect(t.dtype).toBe('float32');
    const px = t.slice([1, 2, 0], [1, 1, 3]).dataSync();
    expect(Array.from(px).map((v) => Math.round(v * 255))).toEqual([80, 50, 200]);
    const back = await decodeImage(await encodeImage(tf.tensor3d(Array.from(gradient().data), [4, 6, 3], 'int32')));
    expect(Array.from(back.data)).toEqual(Array.from(gradient().data));
  });

  it('resizes with sharp (bilinear on a constant image stays constant)', async () => {
    const flat = { data: new Uint8Array(10 * 10 * 3).fill(77), shape: [10, 10, 3] as [number, number, number] };
    const r = await resizeImage(flat, { width: 5, height: 3, kernel: 'linear' });
    expect(r.shape).toEqual([3, 5, 3]);
    expect(new Set(r.data)).toEqual(new Set([77]));
  });

  it('fails clearly on a missing file, an empty buffer, non-image bytes and a truncated file', async () => {
    await expect(decodeImage(join(dir, 'nope.png'))).rejects.toThrow(/cannot read file .*nope\.png: ENOENT/);
    await expect(decodeImage(Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(decodeImage(Buffer.from('definitely not an image'))).rejects.toThrow(/not a readable image/);
    const big = { data: new Uint8Array(64 * 64 * 3).map((_, i) => (i * 37) % 256), shape: [64, 64, 3] as [number, number, number] };
    const jpeg = await encodeImage(big, { format: 'jpeg' });
    const truncated = join(dir, 'cut.jpg');
    await writeFile(truncated, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expect(decodeImage(truncated)).rejects.toThrow(/not a readable image/);
  });

  it('refuses images past the pixel limit (decompression bombs)', async () => {
    const png = await encodeImage({ data: new Uint8Array(100 * 100 * 3), shape: [100, 100, 3] });
    await expect(decodeImage(png, { maxPixels: 5000 })).rejects.toThrow(RangeError);
    await expect(decodeImage(png, { maxPixels: 5000 })).rejects.toThrow(/image: 100x100 is 10,000 pixels, past the pixel limit \(maxPixels: 5,000\)/);
    expect((await decodeImage(png, { maxPixels: 10_000 })).width).toBe(100);
  });

  it('bounds memory by default: a small PNG declaring 16000 x 16000 is refused from its header', async () => {
    expect(DEFAULT_MAX_PIXELS).toBe(50_000_000);
    // A PNG whose header declares 16000 x 16000 RGB: decoding it would take 768 MB, and 3 GB as
    // a normalized tensor. Only the header is written (encoding 256 MP took half a minute), which
    // is all a decoder reads before it allocates.
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(16000, 0);
    ihdr.writeUInt32BE(16000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(16001 * 4))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect((await sharp(bomb).metadata()).width).toBe(16000);
    const before = process.memoryUsage().rss;
    await expect(imageToTensor(bomb, { normalize: true })).rejects.toThrow(
      /image: 16000x16000 is 256,000,000 pixels, past the pixel limit \(maxPixels: 50,000,000\)/,
    );
    await expect(decodeImage(bomb)).rejects.toThrow(RangeError);
    expect(process.memoryUsage().rss - before).toBeLessThan(300_000_000);
  });

  it('rejects bad arguments with messages naming them', async () => {
    await expect(decodeImage(42 as never)).rejects.toThrow(/image must be a file path, Buffer/);
    await expect(decodeImage(Buffer.from([1]), { channels: 2 as never })).rejects.toThrow(/options.channels must be 1, 3 or 4 channels, got 2/);
    await expect(encodeImage({ data: new Uint8Array(5), shape: [2, 2, 3] })).rejects.toThrow(/image.data must be 12 values/);
    await expect(encodeImage({ data: [Number.NaN, 0, 0], shape: [1, 1, 3] })).rejects.toThrow(/not NaN/);
    await expect(encodeImage(gradient(), { quality: 0 })).rejects.toThrow(/options.quality must be an integer in 1..100, got 0/);
    await expect(resizeImage(gradient(), { width: 0, height: 2 })).rejects.toThrow(/options.width must be a positive integer, got 0/);
    await expect(writeImage(join(dir, 'x.bmp'), gradient())).rejects.toThrow(/path must be a file name ending in/);
  });
});
