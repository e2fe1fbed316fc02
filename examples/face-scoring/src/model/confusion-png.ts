import sharp from 'sharp';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A confusion matrix (rows: true, columns: predicted) as a PNG heat map with counts. */
export async function confusionPng(labels: string[], confusion: number[][], title: string): Promise<Buffer> {
  const cell = 44;
  const left = 12 + 7 * Math.max(...labels.map((l) => l.length), 4);
  const top = 40 + 7 * Math.max(...labels.map((l) => l.length), 4);
  const n = labels.length;
  const w = left + n * cell + 20;
  const h = top + n * cell + 40;
  const max = Math.max(1, ...confusion.flat());
  const parts: string[] = [
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-family="sans-serif" font-weight="bold">${esc(title)}</text>`,
  ];
  labels.forEach((l, i) => {
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" font-size="11" font-family="sans-serif" text-anchor="end">${esc(l)}</text>`);
    const x = left + i * cell + cell / 2 + 4;
    parts.push(`<text x="${x}" y="${top - 6}" font-size="11" font-family="sans-serif" transform="rotate(-60 ${x} ${top - 6})">${esc(l)}</text>`);
  });
  confusion.forEach((row, i) => {
    row.forEach((v, j) => {
      const shade = Math.round(255 - (200 * v) / max);
      parts.push(`<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="rgb(${shade},${shade},255)"/>`);
      parts.push(
        `<text x="${left + j * cell + cell / 2 - 1}" y="${top + i * cell + cell / 2 + 4}" font-size="12" font-family="sans-serif" text-anchor="middle">${v}</text>`,
      );
    });
  });
  parts.push(`<text x="${left}" y="${h - 12}" font-size="11" font-family="sans-serif">rows: true class, columns: predicted</text>`);
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`))
    .png()
    .toBuffer();
}
