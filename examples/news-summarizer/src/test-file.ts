import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { NewsPair } from './news-data.js';

/** Larger files are refused before parsing: an evaluation set of news cards is a few megabytes. */
const MAX_TEST_BYTES = 256 * 1024 * 1024;

/**
 * The rows of a `--test` CSV as pairs: Inshorts' columns (`headlines`, `text`, any others
 * ignored) or a two-column `text,summary` file, with a header row. Every row must have both
 * fields: a row with an empty one is an error naming its line, not a silently smaller test set.
 */
export function loadTestPairs(path: string): NewsPair[] {
  if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`--test ${path}: no such file`);
  if (statSync(path).size > MAX_TEST_BYTES) throw new Error(`--test ${path}: larger than ${MAX_TEST_BYTES} bytes`);
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new Error(`--test ${path}: not a readable CSV (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new Error(`--test ${path}: no data rows after the header`);
  const columns = Object.keys(rows[0] as object);
  const headlineColumn = columns.includes('headlines') ? 'headlines' : columns.includes('summary') ? 'summary' : undefined;
  if (!columns.includes('text') || headlineColumn === undefined) {
    throw new Error(`--test ${path}: needs a "text" column and a "headlines" (Inshorts) or "summary" column; the header has ${JSON.stringify(columns)}`);
  }
  return rows.map((r, i) => {
    const text = (r.text ?? '').trim();
    const headline = (r[headlineColumn] ?? '').trim();
    // Line numbers count the header as line 1 (rows with line breaks inside quotes shift this).
    if (text.length === 0) throw new Error(`--test ${path}: row ${i + 1} (line ${i + 2}) has an empty "text"`);
    if (headline.length === 0) throw new Error(`--test ${path}: row ${i + 1} (line ${i + 2}) has an empty "${headlineColumn}"`);
    return { text, headline, source: 'test-file' };
  });
}
