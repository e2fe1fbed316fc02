/** Tableau-like categorical colours; noise (-1) is grey. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A 2-d scatter plot as SVG, one colour per label, with a legend. */
export function scatterSvg(points: { data: ArrayLike<number>; rows: number }, labels: ArrayLike<number>, title: string, names?: string[]): string {
  const size = 640;
  const pad = 40;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < points.rows; i++) {
    const x = points.data[2 * i] as number;
    const y = points.data[2 * i + 1] as number;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const sx = (v: number) => pad + ((v - minX) / (maxX - minX || 1)) * (size - 2 * pad);
  const sy = (v: number) => size - pad - ((v - minY) / (maxY - minY || 1)) * (size - 2 * pad);
  const colour = (l: number) => (l < 0 ? '#999999' : (PALETTE[l % PALETTE.length] as string));
  const dots: string[] = [];
  for (let i = 0; i < points.rows; i++) {
    dots.push(
      `<circle cx="${sx(points.data[2 * i] as number).toFixed(1)}" cy="${sy(points.data[2 * i + 1] as number).toFixed(1)}" r="2.2" fill="${colour(labels[i] as number)}" fill-opacity="0.75"/>`,
    );
  }
  const used = [...new Set(Array.from(labels))].sort((a, b) => a - b).slice(0, 24);
  const legend = used.map((l, k) => {
    const name = l < 0 ? 'noise' : (names?.[l] ?? String(l));
    return `<rect x="${size + 10}" y="${pad + k * 18}" width="10" height="10" fill="${colour(l)}"/><text x="${size + 26}" y="${pad + k * 18 + 9}" font-size="12" font-family="sans-serif">${escapeXml(name)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 160}" height="${size}" viewBox="0 0 ${size + 160} ${size}">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${pad}" y="24" font-size="16" font-family="sans-serif">${escapeXml(title)}</text>`,
    ...dots,
    ...legend,
    '</svg>',
  ].join('\n');
}
