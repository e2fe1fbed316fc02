import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Calls `fn` for every non-blank line of a file with its 1-based line number, streaming: the
 * largest supported files (Last.fm-360K, ml-32m) are over a gigabyte.
 */
export async function forEachLine(path: string, fn: (line: string, lineNo: number) => void, encoding: BufferEncoding = 'utf8'): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding }), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() !== '') fn(line, n);
  }
}

/** Splits a line into at least `min` fields, naming the file and line when it has fewer. */
export function fields(line: string, sep: string, min: number, where: string): string[] {
  const f = line.split(sep);
  if (f.length < min) throw new RangeError(`${where}: expected at least ${min} fields separated by ${JSON.stringify(sep)}, got ${f.length}`);
  return f;
}
