import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const here = new URL('..', import.meta.url).pathname;
export const sharedFaces = join(here, '../../../shared/data/faces/face_recognition');
export const DEMO_MODEL = join(here, 'out', 'demo-model');

/** Runs the built CLI; returns stdout (throws with stderr on a non-zero exit). */
export function cli(args: string[], timeout = 240_000): string {
  return execFileSync(process.execPath, [join(here, 'dist', 'main.js'), ...args], { cwd: here, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

/** The demo model, trained once into out/demo-model when a fresh clone has none. */
export function ensureDemoModel(): string {
  if (!existsSync(join(DEMO_MODEL, 'model.json'))) cli(['train']);
  return DEMO_MODEL;
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid PNG signature and IHDR declaring `width` x `height`, then a tiny IDAT and IEND: a decompression bomb's header. */
export function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const t = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(t));
    return Buffer.concat([len, t, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function post(
  base: string,
  path: string,
  bytes: Uint8Array,
  options: { field?: string; type?: string; raw?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  if (options.raw)
    return fetch(`${base}${path}`, {
      method: 'POST',
      body: new Uint8Array(bytes),
      headers: { 'content-type': options.type ?? 'application/octet-stream', ...options.headers },
    });
  const form = new FormData();
  form.append(options.field ?? 'photo', new Blob([new Uint8Array(bytes)], { type: options.type ?? 'image/jpeg' }), 'photo.jpg');
  return fetch(`${base}${path}`, { method: 'POST', body: form, headers: options.headers });
}
