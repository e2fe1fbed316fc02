import { rangeError, typeError } from '@aiffel/runtime';
import sharp from 'sharp';

export interface HeatmapInput {
  /** Column labels. */
  sourceTokens: readonly string[];
  /** Row labels (generated words; add '<eos>' if the attention has an EOS row). */
  outputTokens: readonly string[];
  /** Rows of weights, one per output token, each sourceTokens.length long. */
  attention: readonly ArrayLike<number>[];
  /** Per output row, whether the word was copied from the source (a copy model's Summary.copied): drawn in orange with a "copied" tooltip. Default none. */
  copied?: readonly boolean[];
}

export interface HeatmapOptions {
  /** Cell size in pixels. Default 18. */
  cell?: number;
  /** Title line. Default none. */
  title?: string;
}

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Attention of each generated word (rows) over the source words (columns) as SVG: darker = more weight. */
export function attentionHeatmapSvg(input: HeatmapInput, options: HeatmapOptions = {}): string {
  const { sourceTokens, outputTokens, attention } = input;
  if (!Array.isArray(sourceTokens) || !Array.isArray(outputTokens) || !Array.isArray(attention)) {
    throw typeError('heatmap input', 'sourceTokens, outputTokens and attention arrays', input);
  }
  if (input.copied !== undefined && (!Array.isArray(input.copied) || input.copied.length > outputTokens.length))
    throw rangeError('copied', `an array of at most ${outputTokens.length} booleans (one per output token)`, input.copied);
  if (attention.length !== outputTokens.length) throw rangeError('attention', `${outputTokens.length} rows (one per output token)`, `${attention.length} rows`);
  attention.forEach((row, i) => {
    if (row.length !== sourceTokens.length) throw rangeError(`attention[${i}]`, `${sourceTokens.length} weights (one per source token)`, `${row.length}`);
  });
  const cell = options.cell ?? 18;
  const font = Math.max(8, Math.round(cell * 0.6));
  const labelW = Math.ceil(Math.max(4, ...outputTokens.map((t) => t.length)) * font * 0.62) + 8;
  const labelH = Math.ceil(Math.max(4, ...sourceTokens.map((t) => t.length)) * font * 0.62) + 8;
  const titleH = options.title ? font * 2 : 0;
  const width = labelW + sourceTokens.length * cell + 4;
  const height = titleH + labelH + outputTokens.length * cell + 4;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="${font}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="4" y="${font * 1.4}" font-weight="bold">${escapeXml(options.title)}</text>`);
  sourceTokens.forEach((t, j) => {
    const x = labelW + j * cell + cell * 0.7;
    const y = titleH + labelH - 4;
    parts.push(`<text transform="translate(${x},${y}) rotate(-90)">${escapeXml(t)}</text>`);
  });
  outputTokens.forEach((t, i) => {
    const y = titleH + labelH + i * cell;
    const label = escapeXml(t);
    parts.push(
      input.copied?.[i] === true
        ? `<text class="copied" x="${labelW - 4}" y="${y + cell * 0.7}" text-anchor="end" fill="#d2600a" font-weight="bold">${label}<title>copied from the source</title></text>`
        : `<text x="${labelW - 4}" y="${y + cell * 0.7}" text-anchor="end">${label}</text>`,
    );
    const row = attention[i] as ArrayLike<number>;
    for (let j = 0; j < sourceTokens.length; j++) {
      const w = Math.min(1, Math.max(0, Number(row[j]) || 0));
      const shade = Math.round(255 * (1 - w));
      parts.push(
        `<rect x="${labelW + j * cell}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)"><title>${w.toFixed(3)}</title></rect>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The same heatmap rendered to PNG (sharp renders the SVG; no browser needed). */
export async function attentionHeatmapPng(input: HeatmapInput, options: HeatmapOptions = {}): Promise<Buffer> {
  return sharp(Buffer.from(attentionHeatmapSvg(input, options)))
    .png()
    .toBuffer();
}
