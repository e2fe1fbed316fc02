import { escapeXml as esc, svgDocument, svgToPng } from '@aiffel/example-kit';

/** Blue (-1) through white (0) to red (+1). */
function diverging(r: number): string {
  const t = Math.max(-1, Math.min(1, r));
  const a = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? `rgb(255,${a},${a})` : `rgb(${a},${a},255)`;
}

/** The exercise's Spearman heatmap: every pair of columns, the coefficient printed in its cell. */
export function correlationHeatmapPng(title: string, names: string[], r: number[][]): Promise<Buffer> {
  const cell = 34;
  const left = 150;
  const top = 150;
  const W = left + names.length * cell + 20;
  const H = top + names.length * cell + 20;
  const parts = [`<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`];
  names.forEach((n, j) => {
    parts.push(`<text transform="translate(${left + j * cell + cell / 2 + 4} ${top - 6}) rotate(-60)" font-size="11">${esc(n)}</text>`);
    parts.push(`<text x="${left - 6}" y="${top + j * cell + cell / 2 + 4}" font-size="11" text-anchor="end">${esc(n)}</text>`);
  });
  r.forEach((row, i) => {
    row.forEach((v, j) => {
      parts.push(`<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${diverging(v)}"/>`);
      parts.push(
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" font-size="9" text-anchor="middle">${Number.isFinite(v) ? v.toFixed(2) : '-'}</text>`,
      );
    });
  });
  return svgToPng(svgDocument(W, H, parts));
}

/** Median sale price per zip code, cheapest to dearest, with the count of sales on each bar. */
export function zipcodePricePng(title: string, zips: { zipcode: string; median: number; count: number }[]): Promise<Buffer> {
  const sorted = [...zips].sort((a, b) => a.median - b.median);
  const barW = 14;
  const left = 80;
  const top = 50;
  const plotH = 360;
  const W = left + sorted.length * barW + 30;
  const H = top + plotH + 70;
  const max = Math.max(...sorted.map((z) => z.median), 1);
  const parts = [`<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const y = top + plotH - (plotH * k) / 4;
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">$${Math.round(v / 1000)}k</text>`);
  }
  sorted.forEach((z, i) => {
    const h = (plotH * z.median) / max;
    const x = left + i * barW;
    parts.push(`<rect x="${x}" y="${top + plotH - h}" width="${barW - 2}" height="${h}" fill="#4c78a8"><title>${z.zipcode}: ${z.count} sales</title></rect>`);
    parts.push(`<text transform="translate(${x + barW / 2 + 3} ${top + plotH + 8}) rotate(70)" font-size="9">${esc(z.zipcode)}</text>`);
  });
  return svgToPng(svgDocument(W, H, parts));
}
