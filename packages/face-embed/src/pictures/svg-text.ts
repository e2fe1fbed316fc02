/** Escapes text for SVG/XML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A colour per label index (a fixed 12-colour qualitative palette, then repeats). */
export function paletteColour(i: number): string {
  const p = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];
  return p[i % p.length] as string;
}
