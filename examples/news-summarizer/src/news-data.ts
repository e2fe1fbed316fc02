import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** An article text and its real headline. */
export interface NewsPair {
  text: string;
  headline: string;
  source: string;
}

function readCsv(path: string, encoding: BufferEncoding): Record<string, string>[] {
  return parse(readFileSync(path, { encoding }), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
}

/**
 * Undoes UTF-8 text that was decoded as Latin-1 somewhere upstream ("â\u0082¹150" -> "₹150"; the
 * Kaggle file has such cards): re-encode as Latin-1 and decode as UTF-8, kept only if that is
 * valid UTF-8. Text without the telltale sequences is returned as is.
 */
export function repairMojibake(text: string): string {
  if (!looksDoubleEncoded(text)) return text;
  const fixed = Buffer.from(text, 'latin1').toString('utf8');
  return fixed.includes('\ufffd') ? text : fixed;
}

/** Only Latin-1 characters, and at least one UTF-8 lead byte (C2-F4) followed by a continuation (80-BF). */
function looksDoubleEncoded(text: string): boolean {
  let lead = false;
  let hit = false;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c > 0xff) return false;
    if (lead && c >= 0x80 && c <= 0xbf) hit = true;
    lead = c >= 0xc2 && c <= 0xf4;
  }
  return hit;
}

function pairsFrom(path: string, encoding: BufferEncoding, textColumn: string, headlineColumn: string, label: string): NewsPair[] {
  const rows = readCsv(path, encoding);
  return rows
    .map((r) => ({ text: repairMojibake((r[textColumn] ?? '').trim()), headline: repairMojibake((r[headlineColumn] ?? '').trim()), source: label }))
    .filter((p) => p.text.length > 0 && p.headline.length > 0);
}

/**
 * The Inshorts pairs in ../shared/data/news-summary (text -> headline): the 5,000 scraped cards
 * and the two 499-row Kaggle prefixes (one of them Windows-1252). With `withAgNews`, also the
 * 7,600 AG News description -> title pairs from the sibling folder.
 */
export function loadNewsPairs(dir: string, withAgNews = false): NewsPair[] {
  const need = (f: string): string => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new Error(`--data ${dir}: ${f} is missing (expected the news-summary folder of ../shared/data)`);
    return p;
  };
  const pairs = [
    ...pairsFrom(need('inshorts_scraped_2019-12_2020-01.csv'), 'utf8', 'text', 'headlines', 'inshorts-2020'),
    ...pairsFrom(need('news_summary_more_first499.csv'), 'utf8', 'text', 'headlines', 'kaggle-more'),
    ...pairsFrom(need('news_summary_first499.csv'), 'latin1', 'text', 'headlines', 'kaggle'),
  ];
  if (withAgNews) {
    const ag = join(dir, '..', 'ag-news', 'test.csv');
    if (!existsSync(ag)) throw new Error(`--with-ag-news: ${ag} is missing`);
    const rows = parse(readFileSync(ag, 'utf8'), { columns: ['label', 'title', 'description'], skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) {
      // AG descriptions use a backslash for a line break.
      const text = (r.description ?? '').replace(/\\/g, ' ').trim();
      const headline = (r.title ?? '').trim();
      if (text && headline) pairs.push({ text, headline, source: 'ag-news' });
    }
  }
  return pairs;
}
