import { rangeError, typeError } from '@aiffel/core';

/**
 * RFC 4180 CSV: quoted fields with "" escapes and embedded commas or newlines. Every row must have
 * as many fields as the header; a row that does not, or an unterminated quote, is an error naming
 * the line, never a silently shifted column.
 */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  if (typeof text !== 'string') throw typeError('text', 'a string', text);
  const rows: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) {
        rows.push(row);
        lines.push(rowLine);
      }
      row = [];
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw rangeError(`CSV line ${rowLine}`, 'a closed quoted field', 'an unterminated quote');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
    lines.push(rowLine);
  }
  const header = rows.shift();
  lines.shift();
  if (!header) throw rangeError('CSV text', 'a header line', 'empty text');
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw rangeError(`CSV line ${lines[i]}`, `${header.length} fields like the header`, `${r.length} fields`);
  });
  return { header, rows };
}
