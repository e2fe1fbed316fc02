import type { Triaxial } from '@aiffel/algos';
import sharp from 'sharp';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const png = (svg: string) => sharp(Buffer.from(svg)).png().toBuffer();
const AXIS_COLOURS = ['#d6361f', '#1f9e4a', '#1f4fd6'];

/** Five seconds of accelerometer (x, y, z) per activity, one panel each. */
export function signalsPng(examples: Map<string, { acc: Triaxial; gyro: Triaxial }>): Promise<Buffer> {
  const W = 960;
  const panelH = 120;
  const entries = [...examples];
  const H = 40 + entries.length * panelH;
  const parts = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="20" y="26" font-size="16" font-family="sans-serif" font-weight="bold">Accelerometer x / y / z (g), 5.12 s per activity at 50 Hz</text>`,
  ];
  entries.forEach(([label, { acc }], k) => {
    const top = 40 + k * panelH;
    const n = acc[0].length;
    const x = (t: number) => 170 + (t / (n - 1)) * (W - 190);
    const y = (v: number) => top + panelH / 2 - v * (panelH / 4.4);
    parts.push(`<text x="20" y="${top + panelH / 2}" font-size="13" font-family="sans-serif">${esc(label)}</text>`);
    parts.push(`<line x1="170" x2="${W - 20}" y1="${y(0)}" y2="${y(0)}" stroke="#ccc"/>`);
    acc.forEach((axis, a) => {
      const pts = Array.from({ length: n }, (_, t) => `${x(t).toFixed(1)},${y(axis[t] as number).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${AXIS_COLOURS[a]}" stroke-width="1.2" points="${pts}"/>`);
    });
  });
  return png(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`);
}

/** Horizontal bars of the top features' importance. */
export function importancePng(title: string, rows: { name: string; value: number }[]): Promise<Buffer> {
  const W = 900;
  const barH = 22;
  const H = 60 + rows.length * barH;
  const max = Math.max(...rows.map((r) => r.value), 1e-12);
  const parts = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="20" y="28" font-size="16" font-family="sans-serif" font-weight="bold">${esc(title)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 45 + i * barH;
    parts.push(`<text x="330" y="${y + 15}" font-size="12" font-family="monospace" text-anchor="end">${esc(r.name)}</text>`);
    parts.push(`<rect x="340" y="${y + 3}" width="${((W - 420) * r.value) / max}" height="${barH - 6}" fill="#1f4fd6"/>`);
    parts.push(`<text x="${345 + ((W - 420) * r.value) / max}" y="${y + 15}" font-size="11" font-family="sans-serif">${r.value.toFixed(4)}</text>`);
  });
  return png(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`);
}

/** A confusion matrix: rows true, columns predicted, cells shaded by the row share. */
export function confusionPng(title: string, classes: readonly string[], m: number[][]): Promise<Buffer> {
  const cell = 54;
  const left = 190;
  const top = 170;
  // Wide enough for the title (about 8.5 px a character at 15 px bold).
  const W = Math.max(left + classes.length * cell + 30, Math.ceil(title.length * 8.5) + 32);
  const H = top + classes.length * cell + 40;
  const parts = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="16" y="26" font-size="15" font-family="sans-serif" font-weight="bold">${esc(title)}</text>`,
  ];
  parts.push(`<text x="16" y="46" font-size="12" font-family="sans-serif">rows: true activity; columns: predicted</text>`);
  classes.forEach((c, j) => {
    parts.push(
      `<text transform="translate(${left + j * cell + cell / 2 + 4} ${top - 8}) rotate(-50)" font-size="11" font-family="sans-serif">${esc(c)}</text>`,
    );
    parts.push(`<text x="${left - 8}" y="${top + j * cell + cell / 2 + 4}" font-size="11" font-family="sans-serif" text-anchor="end">${esc(c)}</text>`);
  });
  m.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, j) => {
      const share = v / total;
      const shade = Math.round(255 - 200 * share);
      const fill = i === j ? `rgb(${shade},${Math.min(255, shade + 40)},${shade})` : `rgb(255,${shade},${shade})`;
      parts.push(`<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"/>`);
      parts.push(
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" font-size="12" font-family="sans-serif" text-anchor="middle">${v}</text>`,
      );
    });
  });
  return png(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`);
}
