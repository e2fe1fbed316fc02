import { monitorEventLoopDelay } from 'node:perf_hooks';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ScoringEngine } from '../engine/scoring-engine.js';
import { HttpError } from './http-error.js';
import { decodeUpload, type ImageLimits } from './image-upload.js';
import { openApiDocument } from './openapi.js';
import { loadPageAssets } from './page-assets.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { WorkQueue } from './work-queue.js';

export interface ServerOptions {
  /** Largest upload in bytes (413 past it). Default 10 MiB. */
  maxUploadBytes: number;
  /** Largest image in pixels, from its header (422 past it). Default 40 MP. */
  maxPixels: number;
  /** Photos are analysed at this longer side at most. Default 2560. */
  analysisSide: number;
  /** Requests analysed at once. Default 2 per worker. */
  concurrency: number;
  /** Requests that may wait for a slot (503 past it). Default 8. */
  maxQueued: number;
  /** Milliseconds from arrival to answer (504 past it). Default 20,000. */
  timeoutMs: number;
  /** The one origin allowed to call the API from another site; none by default. */
  cors?: string;
}

export function defaultServerOptions(workers: number): ServerOptions {
  return { maxUploadBytes: 10 * 2 ** 20, maxPixels: 40e6, analysisSide: 2560, concurrency: 2 * workers, maxQueued: 8, timeoutMs: 20_000 };
}

/** Reads the photo from a multipart form (field `photo`, one file) or a raw image body. */
async function uploadedBytes(req: FastifyRequest): Promise<Uint8Array> {
  if (req.isMultipart()) {
    const file = await req.file();
    if (file === undefined) throw new HttpError(400, 'no file in the form: send the photo in a field named "photo"');
    if (file.fieldname !== 'photo')
      throw new HttpError(400, `unexpected form field ${JSON.stringify(file.fieldname.slice(0, 40))}: send the photo in a field named "photo"`);
    return file.toBuffer();
  }
  if (!Buffer.isBuffer(req.body))
    throw new HttpError(415, 'send the photo as multipart/form-data (field "photo") or as a raw image/* or application/octet-stream body');
  return req.body;
}

function numberParam(q: unknown, name: string, min: number, max: number, fallback: number): number {
  const raw = (q as Record<string, unknown> | null)?.[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(v) || v < min || v > max)
    throw new HttpError(400, `query parameter ${name} must be a number in [${min}, ${max}], got ${JSON.stringify(String(raw).slice(0, 40))}`);
  return v;
}

/**
 * The face-scoring web service: the page, and the JSON API under /api. Every byte of a request is
 * treated as hostile: size limits, content sniffing, a pixel limit read from the header before
 * decoding, a bounded queue, a deadline per request, and no route that maps a URL to a file.
 */
export async function buildServer(engine: ScoringEngine, options: ServerOptions): Promise<FastifyInstance> {
  const limits: ImageLimits = { maxPixels: options.maxPixels, analysisSide: options.analysisSide };
  const queue = new WorkQueue({ concurrency: options.concurrency, maxQueued: options.maxQueued, timeoutMs: options.timeoutMs });
  const assets = loadPageAssets();
  const started = Date.now();
  // How long the event loop was ever held up: the networks run in workers, so this stays at a few ms.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxUploadBytes,
    // Slow clients may not hold a connection open forever.
    connectionTimeout: 60_000,
    requestTimeout: 60_000,
    return503OnClosing: true,
  });
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024, headerPairs: 50 },
    throwFileSizeLimit: true,
  });
  app.addContentTypeParser(
    ['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp'],
    { parseAs: 'buffer', bodyLimit: options.maxUploadBytes },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onSend', async (req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const origin = req.headers.origin;
    if (options.cors !== undefined && origin === options.cors) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
    }
  });
  if (options.cors !== undefined) {
    app.options('/api/*', async (req, reply) => {
      if (req.headers.origin !== options.cors) return reply.code(403).send({ error: 'origin not allowed', status: 403 });
      reply.header('access-control-allow-methods', 'GET, POST');
      reply.header('access-control-allow-headers', 'content-type');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    });
  }

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    // A refused request may leave part of its body unread on the socket: close the connection so
    // a client that reuses it does not send its next request into that leftover.
    reply.header('connection', 'close');
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).send({ error: err.message, status: err.status });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE' || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({ error: `the upload is larger than the limit of ${options.maxUploadBytes} bytes`, status: 413 });
    if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply
        .code(415)
        .send({ error: 'send the photo as multipart/form-data (field "photo") or as a raw image/* or application/octet-stream body', status: 415 });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message.slice(0, 200), status });
    // Nothing internal (paths, stacks) reaches the client.
    process.stderr.write(`face-scoring: internal error: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ error: 'internal error', status: 500 });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found', status: 404 }));

  for (const [route, asset] of assets) app.get(route, async (_req, reply) => reply.type(asset.type).send(asset.body));

  app.get('/api/health', async () => ({
    status: 'ok',
    workers: engine.workers,
    queue: queue.stats,
    uptime_s: Math.round((Date.now() - started) / 1000),
    event_loop_delay_ms: { p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)), max: Number((loopDelay.max / 1e6).toFixed(1)) },
  }));
  app.addHook('onClose', async () => loopDelay.disable());
  app.get('/api/model', async () => {
    const m = engine.model;
    return {
      description: m.description,
      demo: m.demo,
      backbone: m.backbone,
      gate: m.gateKind,
      groups: m.groups,
      levels: Object.fromEntries(m.groups.map((g) => [g, m.heads.get(g)?.classes ?? []])),
      report: m.report,
      gallery: { size: engine.gallery.size, source: engine.gallerySource },
      limits: { maxUploadBytes: options.maxUploadBytes, maxPixels: options.maxPixels, analysisSide: options.analysisSide },
    };
  });
  app.get('/api/openapi.json', async () => openApiDocument(options));

  app.post('/api/score', async (req) => {
    const t0 = performance.now();
    const bytes = await uploadedBytes(req);
    const result = await queue.run(async () => engine.score(await decodeUpload(bytes, limits)));
    return { ...result, latency_ms: Math.round(performance.now() - t0) };
  });
  app.post('/api/portrait', async (req, reply) => {
    const strength = numberParam(req.query, 'strength', 0.005, 0.1, 0.02);
    const bytes = await uploadedBytes(req);
    const jpeg = await queue.run(async () => engine.portrait(await decodeUpload(bytes, limits), strength));
    return reply.type('image/jpeg').send(Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength));
  });
  return app;
}
