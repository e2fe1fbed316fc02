import { readFile, stat } from 'node:fs/promises';

/**
 * Reads and parses a JSON file, with errors that name the file: a missing file, one past
 * `maxBytes` (checked before reading, so a huge file is not loaded to be refused), and invalid
 * JSON (`... is not valid JSON: Unexpected token ...`) instead of a bare SyntaxError.
 */
export async function readJsonFile(path: string, options: { maxBytes?: number; what?: string } = {}): Promise<unknown> {
  const what = options.what ?? 'readJsonFile';
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new Error(`${what}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > maxBytes) throw new RangeError(`${what}: ${path} is ${size} bytes, more than the ${maxBytes} this file can be`);
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what}: ${path} is not valid JSON (a truncated or edited file?): ${(err as Error).message}`);
  }
}
