import type { ImageArray } from '@aiffel/runtime';
import sharp, { type OverlayOptions } from 'sharp';

/** Lays images of the same height side by side with a caption strip above each, as one PNG. */
export async function sideBySide(panels: { title: string; image: ImageArray }[], height = 360): Promise<Buffer> {
  const captionH = 28;
  const scaled = await Promise.all(
    panels.map(async (p) => {
      const { data, info } = await sharp(p.image.data, { raw: { width: p.image.width, height: p.image.height, channels: p.image.channels } })
        .resize({ height })
        .png()
        .toBuffer({ resolveWithObject: true });
      return { title: p.title, data, width: info.width };
    }),
  );
  const total = scaled.reduce((w, p) => w + p.width, 0);
  let left = 0;
  const layers: OverlayOptions[] = [];
  for (const p of scaled) {
    const caption = Buffer.from(
      `<svg width="${p.width}" height="${captionH}"><text x="8" y="20" font-family="sans-serif" font-size="16" fill="white">${p.title}</text></svg>`,
    );
    layers.push({ input: caption, left, top: 0 }, { input: p.data, left, top: captionH });
    left += p.width;
  }
  return sharp({ create: { width: total, height: height + captionH, channels: 3, background: '#202020' } })
    .composite(layers)
    .png()
    .toBuffer();
}
