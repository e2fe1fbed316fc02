/** A horizontal bar chart as SVG text (feature importance), longest bar first. */
export function barChartSvg(title: string, labels: string[], values: number[]): string {
  const order = values.map((v, i) => ({ v, l: labels[i] as string })).sort((a, b) => b.v - a.v);
  const max = Math.max(...values, 1e-12);
  const rowH = 22;
  const left = 170;
  const width = 640;
  const height = 50 + order.length * rowH;
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
  const bars = order.map(({ v, l }, i) => {
    const y = 36 + i * rowH;
    const w = ((width - left - 60) * v) / max;
    return `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12">${esc(l)}</text><rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#4c78a8"/><text x="${(left + w + 6).toFixed(1)}" y="${y + 14}" font-size="11">${(v / max).toFixed(2)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>${bars.join('')}</svg>\n`;
}
