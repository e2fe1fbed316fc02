import { FaceEmbedder } from '@aiffel/face-embed';
import { portrait } from '@aiffel/segment-blur';
import { type FaceResult, type RgbPixels, toFaceResult } from './types.js';

/**
 * Runs inside each worker of the server's WorkerPool (built to dist/score-task.js). Every worker
 * loads the networks once, on its own wasm backend, and keeps them for the life of the server:
 * a request costs only the forward passes.
 */
let embedder: Promise<FaceEmbedder> | undefined;

function image(p: RgbPixels) {
  return { data: p.data, shape: [p.height, p.width, 3] as [number, number, number] };
}

/** Every face of the photo: box, landmarks, 128-d descriptor, age / gender and appearance features. */
export async function embed(arg: { pixels: RgbPixels }): Promise<FaceResult[]> {
  embedder ??= FaceEmbedder.load({ ageGender: true });
  const faces = await (await embedder).embedAll(image(arg.pixels));
  return faces.map(toFaceResult);
}

/** The photo with its background blurred (MediaPipe selfie segmentation), as a JPEG. */
export async function blur(arg: { pixels: RgbPixels; strength: number }): Promise<Uint8Array> {
  const out = await portrait(image(arg.pixels), { mode: 'gaussian', strength: arg.strength, format: 'jpeg', quality: 88 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Loads the networks now, so the first request does not pay for it. */
export async function warm(): Promise<boolean> {
  embedder ??= FaceEmbedder.load({ ageGender: true });
  await embedder;
  return true;
}
