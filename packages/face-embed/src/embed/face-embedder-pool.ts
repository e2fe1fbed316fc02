import { assertKnownOptions, type ImageInput, rangeError, requirePackageFile, typeError, WorkerPool } from '@aiffel/runtime';
import { EMBEDDER_OPTION_KEYS, type EmbeddedFace, FaceEmbedder, type FaceEmbedderOptions } from './face-embedder.js';

export interface FaceEmbedderPoolOptions extends FaceEmbedderOptions {
  /** Worker threads. Default: every core (2 here). */
  size?: number;
}

const taskModule = (): string => requirePackageFile(import.meta.url, 'pool-task.js', 'FaceEmbedderPool');

/**
 * `FaceEmbedder.embedAll` over many photos on every core: each worker thread owns an embedder
 * with its own wasm backend and takes the next photo when it is free. Results come back in
 * input order and equal the single-thread embedder's.
 */
export class FaceEmbedderPool {
  private constructor(
    private readonly pool: WorkerPool,
    private readonly options: FaceEmbedderOptions,
    private readonly task: string,
  ) {}

  static async create(options: FaceEmbedderPoolOptions = {}): Promise<FaceEmbedderPool> {
    const { size, ...embedderOptions } = options;
    // Check the options here, once, so a mistake surfaces before any worker starts.
    assertKnownOptions('FaceEmbedderPool options', options, ['size', ...EMBEDDER_OPTION_KEYS]);
    if (size !== undefined && (!Number.isInteger(size) || size < 1)) throw rangeError('options.size', 'a positive integer', size);
    const probe = await FaceEmbedder.load(embedderOptions);
    probe.dispose();
    const pool = new FaceEmbedderPool(new WorkerPool(size === undefined ? {} : { size }), embedderOptions, taskModule());
    return pool;
  }

  get size(): number {
    return this.pool.size;
  }

  /** Every face of every image, described; `result[i]` belongs to `images[i]`. */
  async embedAll(images: ImageInput[]): Promise<EmbeddedFace[][]> {
    if (!Array.isArray(images)) throw typeError('images', 'an array of images', images);
    return this.pool.map(
      images.map((image) => ({ options: this.options, image })),
      { module: this.task },
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
