/** A training curve as SVG: validation accuracy (left axis, 0..1) and loss (scaled to its maximum) per epoch. */
export function curveSvg(title: string, accuracy: number[], loss: number[]): string {
  const w = 640;
  const h = 360;
  const m = { left: 50, right: 20, top: 40, bottom: 40 };
  const n = Math.max(accuracy.length, 2);
  const x = (i: number): number => m.left + (i / (n - 1)) * (w - m.left - m.right);
  const y = (v: number): number => h - m.bottom - v * (h - m.top - m.bottom);
  const maxLoss = Math.max(...loss, 1e-9);
  const path = (vals: number[]): string => vals.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${m.left}" x2="${w - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${w / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>
${ticks}
<path d="${path(accuracy)}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${path(loss.map((v) => v / maxLoss))}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="5,3"/>
<text x="${w - m.right}" y="${h - 12}" text-anchor="end" font-size="11">epoch (1..${accuracy.length}); blue: validation accuracy, red dashed: training loss / ${maxLoss.toFixed(2)}</text>
</svg>`;
}
