import sharp from 'sharp';
import type { ScheduleRun } from './lesson.js';

const COLOURS = ['#1f4fd6', '#d6361f', '#1f9e4a', '#a21fd6'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/**
 * Training (solid) and validation (dashed) loss per epoch for each schedule, and each schedule's
 * learning rate (thin, right axis, log scale), in one PNG.
 */
export async function curvesPng(title: string, runs: ScheduleRun[]): Promise<Buffer> {
  const W = 960;
  const H = 540;
  const L = 70;
  const R = 90;
  const T = 50;
  const B = 110;
  const epochs = Math.max(...runs.map((r) => r.log.epochs.length), 2);
  const losses = runs.flatMap((r) => r.log.epochs.flatMap((e) => [e.loss, e.validation?.loss ?? e.loss])).filter(Number.isFinite);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const rates = runs.flatMap((r) => r.log.epochs.map((e) => e.learningRate));
  const lrLo = Math.log10(Math.min(...rates));
  const lrHi = Math.log10(Math.max(...rates)) + 1e-9;
  const x = (e: number) => L + ((e - 1) / (epochs - 1)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo || 1)) * (H - T - B);
  const yLr = (v: number) => T + (1 - (Math.log10(v) - lrLo) / (lrHi - lrLo || 1)) * (H - T - B);
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="28" font-size="17" font-family="sans-serif" font-weight="bold">${esc(title)}</text>`,
  ];
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#888"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<text x="${L - 6}" y="${y(v) + 4}" font-size="11" font-family="sans-serif" text-anchor="end">${v.toPrecision(3)}</text>`);
    const r = 10 ** (lrLo + ((lrHi - lrLo) * k) / 4);
    parts.push(`<text x="${W - R + 6}" y="${yLr(r) + 4}" font-size="11" font-family="sans-serif" fill="#666">${r.toExponential(1)}</text>`);
  }
  for (let e = 1; e <= epochs; e += Math.max(1, Math.round(epochs / 10)))
    parts.push(`<text x="${x(e)}" y="${H - B + 16}" font-size="11" font-family="sans-serif" text-anchor="middle">${e}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - B + 34}" font-size="12" font-family="sans-serif" text-anchor="middle">epoch</text>`);
  parts.push(
    `<text x="16" y="${(T + H - B) / 2}" font-size="12" font-family="sans-serif" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">loss</text>`,
  );
  parts.push(
    `<text x="${W - 14}" y="${(T + H - B) / 2}" font-size="12" font-family="sans-serif" fill="#666" transform="rotate(90 ${W - 14} ${(T + H - B) / 2})" text-anchor="middle">learning rate (log)</text>`,
  );
  runs.forEach((r, k) => {
    const c = COLOURS[k % COLOURS.length] as string;
    const path = (pick: (e: (typeof r.log.epochs)[0]) => number, scale: (v: number) => number) =>
      r.log.epochs.map((e, i) => `${i === 0 ? 'M' : 'L'}${x(e.epoch).toFixed(1)},${scale(pick(e)).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path((e) => e.loss, y)}" fill="none" stroke="${c}" stroke-width="2"/>`);
    if (r.log.epochs.some((e) => e.validation))
      parts.push(`<path d="${path((e) => e.validation?.loss ?? e.loss, y)}" fill="none" stroke="${c}" stroke-width="2" stroke-dasharray="6 4"/>`);
    parts.push(`<path d="${path((e) => e.learningRate, yLr)}" fill="none" stroke="${c}" stroke-width="1" opacity="0.45"/>`);
    if (r.log.bestEpoch)
      parts.push(`<circle cx="${x(r.log.bestEpoch)}" cy="${y(r.log.epochs[r.log.bestEpoch - 1]?.validation?.loss ?? lo)}" r="4" fill="${c}"/>`);
    const lx = L + (k % 2) * 420;
    const ly = H - 52 + Math.floor(k / 2) * 20;
    parts.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${c}" stroke-width="3"/>`);
    parts.push(
      `<text x="${lx + 30}" y="${ly}" font-size="12" font-family="sans-serif">${esc(`${r.schedule}: stopped at ${r.log.epochs.length}, best ${r.log.bestEpoch ?? '-'}`)}</text>`,
    );
  });
  parts.push(
    `<text x="${L}" y="${H - 8}" font-size="11" font-family="sans-serif" fill="#555">solid: training loss · dashed: validation loss · thin: learning rate · dot: best epoch (weights restored)</text>`,
  );
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`))
    .png()
    .toBuffer();
}
