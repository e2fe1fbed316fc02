import sharp from 'sharp';

/** Text for SVG: the five characters XML gives meaning to. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An SVG document on a white background, in sans-serif. */
export function svgDocument(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="${width}" height="${height}" fill="white"/>${parts.join('')}</svg>`;
}

/** Rasterises SVG text to PNG bytes (sharp's librsvg: no browser, no fonts to install). */
export function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface Series {
  name: string;
  colour: string;
  values: number[];
}

/** A legend row of coloured squares at (x, y). */
function legend(series: { name: string; colour: string }[], x: number, y: number): string {
  return series
    .map(
      (s, i) =>
        `<rect x="${x + i * 150}" y="${y - 10}" width="12" height="12" fill="${s.colour}"/><text x="${x + i * 150 + 18}" y="${y}" font-size="12">${escapeXml(s.name)}</text>`,
    )
    .join('');
}

/** Vertical bars, one group per category and one bar per series in it, with a legend. */
export function groupedBarsPng(title: string, categories: string[], series: Series[], options: { yLabel?: string } = {}): Promise<Buffer> {
  const group = Math.max(18, 8 * series.length + 8);
  const left = 60;
  const top = 60;
  const plotH = 300;
  const W = Math.max(520, Math.ceil(title.length * 9) + 32, left + categories.length * group + 30);
  const H = top + plotH + 90;
  const max = Math.max(1e-12, ...series.flatMap((s) => s.values));
  const bar = (group - 6) / series.length;
  const parts = [`<text x="16" y="26" font-size="16" font-weight="bold">${escapeXml(title)}</text>`, legend(series, left, 48)];
  for (let k = 0; k <= 4; k++) {
    const y = top + plotH - (plotH * k) / 4;
    parts.push(
      `<line x1="${left}" x2="${W - 20}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${+((max * k) / 4).toPrecision(3)}</text>`,
    );
  }
  if (options.yLabel)
    parts.push(`<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  categories.forEach((c, i) => {
    const x0 = left + i * group + 3;
    series.forEach((s, j) => {
      const h = (plotH * (s.values[i] ?? 0)) / max;
      parts.push(
        `<rect x="${(x0 + j * bar).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, bar - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"/>`,
      );
    });
    parts.push(`<text transform="translate(${x0 + group / 2} ${top + plotH + 10}) rotate(60)" font-size="11">${escapeXml(c)}</text>`);
  });
  return svgToPng(svgDocument(W, H, parts));
}

/**
 * Overlaid histograms, one panel per variable, each group's counts scaled to its own total (a
 * density), so a small class is as visible as a large one. `bins` equal-width bins per panel.
 */
export function histogramsPng(title: string, panels: { name: string; groups: Series[] }[], options: { bins?: number; columns?: number } = {}): Promise<Buffer> {
  const bins = options.bins ?? 20;
  const columns = options.columns ?? 4;
  const pw = 260;
  const ph = 170;
  const rows = Math.ceil(panels.length / columns);
  const W = columns * pw + 20;
  const H = 70 + rows * (ph + 30);
  const first = panels[0]?.groups ?? [];
  const parts = [`<text x="16" y="26" font-size="16" font-weight="bold">${escapeXml(title)}</text>`, legend(first, 20, 50)];
  panels.forEach((p, k) => {
    const ox = 10 + (k % columns) * pw;
    const oy = 70 + Math.floor(k / columns) * (ph + 30);
    const all = p.groups.flatMap((g) => g.values).filter(Number.isFinite);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const width = hi > lo ? (hi - lo) / bins : 1;
    const density = p.groups.map((g) => {
      const c = new Float64Array(bins);
      for (const v of g.values) {
        if (!Number.isFinite(v)) continue;
        const b = Math.min(bins - 1, Math.floor((v - lo) / width));
        c[b] = (c[b] as number) + 1;
      }
      return Array.from(c, (x) => x / Math.max(1, g.values.length));
    });
    const max = Math.max(1e-12, ...density.flat());
    const x = (b: number) => ox + 30 + (b / bins) * (pw - 50);
    const base = oy + ph - 20;
    parts.push(`<text x="${ox + 30}" y="${oy + 10}" font-size="13" font-weight="bold">${escapeXml(p.name)}</text>`);
    parts.push(`<line x1="${x(0)}" x2="${x(bins)}" y1="${base}" y2="${base}" stroke="#999"/>`);
    parts.push(
      `<text x="${x(0)}" y="${base + 14}" font-size="10">${+lo.toPrecision(3)}</text><text x="${x(bins)}" y="${base + 14}" font-size="10" text-anchor="end">${+hi.toPrecision(3)}</text>`,
    );
    density.forEach((d, j) => {
      const colour = p.groups[j]?.colour ?? '#888';
      d.forEach((v, b) => {
        const h = ((ph - 40) * v) / max;
        parts.push(
          `<rect x="${x(b).toFixed(1)}" y="${(base - h).toFixed(1)}" width="${(x(b + 1) - x(b) - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}" fill-opacity="0.55"/>`,
        );
      });
    });
  });
  return svgToPng(svgDocument(W, H, parts));
}
