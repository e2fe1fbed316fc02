import type { ImageInput } from '@aiffel/runtime';
import { type EmbeddedFace, FaceEmbedder, type FaceEmbedderOptions } from './face-embedder.js';

/**
 * Runs inside each FaceEmbedderPool worker (built to dist/pool-task.js): every worker loads its own
 * embedder (its own wasm backend) once and keeps it for the life of the pool.
 */
let embedder: Promise<FaceEmbedder> | undefined;

export default async function embedTask(arg: { options: FaceEmbedderOptions; image: ImageInput }): Promise<EmbeddedFace[]> {
  embedder ??= FaceEmbedder.load(arg.options);
  return (await embedder).embedAll(arg.image);
}
