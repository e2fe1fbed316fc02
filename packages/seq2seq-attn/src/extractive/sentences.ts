import { typeError } from '@aiffel/runtime';

/**
 * Splits text into sentences at . ! ? (and runs of them) followed by whitespace, keeping common
 * abbreviations (Mr., Dr., U.S., single initials) and decimals inside their sentence. Newlines
 * that separate paragraphs also end a sentence.
 */
export function splitSentences(text: string): string[] {
  if (typeof text !== 'string') throw typeError('text', 'a string', text);
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n|\r?\n/)) {
    let start = 0;
    const re = /[.!?]+["'\u201d\u2019)]*(?=\s+|$)/g;
    for (let m = re.exec(para); m !== null; m = re.exec(para)) {
      const end = m.index + m[0].length;
      const before = para.slice(start, m.index);
      const lastWord = before.split(/\s+/).pop() ?? '';
      if (m[0] === '.' && /^(mr|mrs|ms|dr|prof|st|vs|etc|inc|ltd|jr|sr|no|rs|u\.s|e\.g|i\.e|[a-z])$/i.test(lastWord)) continue;
      const s = para.slice(start, end).trim();
      if (s.length > 0) out.push(s);
      start = end;
    }
    const rest = para.slice(start).trim();
    if (rest.length > 0) out.push(rest);
  }
  return out;
}
