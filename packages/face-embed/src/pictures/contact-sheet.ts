import { assertKnownOptions, type ImageInput, rangeError } from '@aiffel/runtime';
import sharp, { type OverlayOptions } from 'sharp';
import type { Box } from '../detect/face.js';
import { faceThumbnail } from './face-thumbnail.js';
import { escapeXml } from './svg-text.js';

export interface ContactSheetFace {
  image: ImageInput;
  /** The face's box in the image (from detection); without it the whole image is shown. */
  box?: Box;
  /** Caption, e.g. the name. */
  label: string;
  /** Second caption line, e.g. the distance. */
  detail?: string;
}

export interface ContactSheetOptions {
  /** Side of each face cell in pixels. Default 160. */
  cell?: number;
  /** Title above the query. Default 'query'. */
  title?: string;
}

/**
 * The lookalike result as one PNG: the query face on top, the ranked matches in a row below,
 * each with its name and distance.
 */
export async function contactSheet(query: ContactSheetFace, matches: ContactSheetFace[], options: ContactSheetOptions = {}): Promise<Buffer> {
  assertKnownOptions('contactSheet options', options, ['cell', 'title']);
  const cell = options.cell ?? 160;
  if (!Number.isInteger(cell) || cell < 32 || cell > 1024) throw rangeError('options.cell', 'an integer in 32..1024', cell);
  if (!Array.isArray(matches) || matches.length === 0) throw rangeError('matches', 'a non-empty array', matches);
  const pad = 12;
  const text = 40;
  const cols = matches.length;
  const width = Math.max(cols * (cell + pad) + pad, cell + 2 * pad);
  const height = pad + 20 + cell + text + pad + cell + text + pad;
  const tiles = await Promise.all([query, ...matches].map((f) => faceThumbnail(f.image, f.box, cell)));
  const qx = Math.round((width - cell) / 2);
  const rowY = pad + 20 + cell + text + pad;
  const composites: OverlayOptions[] = tiles.map((data, i) => ({
    input: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    raw: { width: cell, height: cell, channels: 3 as const },
    left: i === 0 ? qx : pad + (i - 1) * (cell + pad),
    top: i === 0 ? pad + 20 : rowY,
  }));
  const caption = (f: ContactSheetFace, x: number, y: number) =>
    `<text x="${x + cell / 2}" y="${y + cell + 16}" font-size="14" text-anchor="middle" fill="#fff" font-family="sans-serif">${escapeXml(f.label)}</text>` +
    (f.detail
      ? `<text x="${x + cell / 2}" y="${y + cell + 32}" font-size="12" text-anchor="middle" fill="#bbb" font-family="sans-serif">${escapeXml(f.detail)}</text>`
      : '');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="${width / 2}" y="${pad + 14}" font-size="14" text-anchor="middle" fill="#fff" font-family="sans-serif">${escapeXml(options.title ?? 'query')}</text>` +
    caption(query, qx, pad + 20) +
    matches.map((m, i) => caption(m, pad + i * (cell + pad), rowY)).join('') +
    '</svg>';
  composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  return sharp({ create: { width, height, channels: 3, background: { r: 24, g: 24, b: 24 } } })
    .composite(composites)
    .png()
    .toBuffer();
}
