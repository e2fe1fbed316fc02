/** One training run on the curve: validation accuracy after each epoch, at the seconds trained so far. */
export interface CurveSeries {
  label: string;
  colour: string;
  seconds: number[];
  accuracy: number[];
}

/**
 * Accuracy against training time as SVG: each run's validation accuracy (0..1) at the cumulative
 * training seconds of its epochs, and the first run's training loss (scaled to its maximum, dashed).
 */
export function curveSvg(title: string, series: CurveSeries[], loss: number[]): string {
  const w = 640;
  const h = 360;
  const m = { left: 50, right: 20, top: 40, bottom: 46 };
  const tMax = Math.max(1e-9, ...series.flatMap((s) => s.seconds));
  const x = (t: number): number => m.left + (t / tMax) * (w - m.left - m.right);
  const y = (v: number): number => h - m.bottom - v * (h - m.top - m.bottom);
  const maxLoss = Math.max(...loss, 1e-9);
  const path = (ts: number[], vals: number[]): string =>
    vals.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(ts[i] as number).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const dots = (ts: number[], vals: number[], colour: string): string =>
    vals.map((v, i) => `<circle cx="${x(ts[i] as number).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"/>`).join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${m.left}" x2="${w - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t}</text>`,
    )
    .join('');
  const first = series[0];
  const lines = series
    .map((s) => `<path d="${path(s.seconds, s.accuracy)}" fill="none" stroke="${s.colour}" stroke-width="2"/>${dots(s.seconds, s.accuracy, s.colour)}`)
    .join('\n');
  const legend = series.map((s, i) => `<text x="${m.left + 10}" y="${m.top + 16 + 16 * i}" font-size="12" fill="${s.colour}">${s.label}</text>`).join('\n');
  const lossLine =
    first && loss.length > 0
      ? `<path d="${path(
          first.seconds,
          loss.map((v) => v / maxLoss),
        )}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5,3"/>`
      : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${w / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>
${ticks}
${lines}
${lossLine}
${legend}
<text x="${w - m.right}" y="${h - 26}" text-anchor="end" font-size="11">training time, s (0..${tMax.toFixed(0)})</text>
<text x="${w - m.right}" y="${h - 10}" text-anchor="end" font-size="11">solid: validation accuracy${loss.length > 0 ? `; red dashed: first run's training loss / ${maxLoss.toFixed(2)}` : ''}</text>
</svg>`;
}
