import { readFileSync } from 'node:fs';
import { rangeError, typeError, writeFileAtomicSync } from '@aiffel/core';

export const FORMAT = '@aiffel/gbm-ensemble';
export const FORMAT_VERSION = 1;

/** Largest model file read (a 10,000-tree model with 255 leaves is ~300 MB of JSON). */
const MAX_BYTES = 1 << 30;

/** Writes JSON atomically (temp file + rename) so a crash never leaves half a model. */
export function writeModel(path: string, json: unknown): void {
  if (typeof path !== 'string' || path === '') throw typeError('path', 'a file path', path);
  writeFileAtomicSync(path, JSON.stringify(json));
}

export function readModel(path: string): unknown {
  if (typeof path !== 'string' || path === '') throw typeError('path', 'a file path', path);
  const buf = readFileSync(path);
  if (buf.length > MAX_BYTES) throw rangeError(path, `a model file under ${MAX_BYTES} bytes`, buf.length);
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new Error(`${path} is not a valid model file (JSON parse failed: ${(e as Error).message})`);
  }
}

/** Checks the header every saved model carries; names what is wrong. */
export function checkHeader(json: unknown, kind: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw typeError(`${kind} JSON`, 'an object', json);
  const o = json as Record<string, unknown>;
  if (o.format !== FORMAT) throw rangeError(`${kind} JSON format`, `"${FORMAT}"`, o.format);
  if (o.version !== FORMAT_VERSION) throw rangeError(`${kind} JSON version`, `${FORMAT_VERSION} (this release reads version ${FORMAT_VERSION})`, o.version);
  if (o.kind !== kind) throw rangeError(`${kind} JSON kind`, `"${kind}"`, o.kind);
  return o;
}
