import type { ServerOptions } from './app.js';

const error = { type: 'object', properties: { error: { type: 'string' }, status: { type: 'integer' } }, required: ['error', 'status'] };
const errors = (codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: DESCRIPTIONS[c], content: { 'application/json': { schema: error } } }]));
const DESCRIPTIONS: Record<number, string> = {
  400: 'bad form or query parameter',
  413: 'upload larger than the limit',
  415: 'not a JPEG, PNG or WebP (checked by content)',
  422: 'corrupt, truncated or too many pixels',
  503: 'queue full (see Retry-After)',
  504: 'not answered within the deadline',
};
const upload = {
  required: true,
  content: {
    'multipart/form-data': { schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } }, required: ['photo'] } },
    'image/jpeg': { schema: { type: 'string', format: 'binary' } },
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'image/webp': { schema: { type: 'string', format: 'binary' } },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
  },
};
const box = { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number' }, height: { type: 'number' } } };

/** The API as OpenAPI 3.1, served at /api/openapi.json. */
export function openApiDocument(o: ServerOptions): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: '@aiffel face-scoring API', version: '1', description: `Uploads up to ${o.maxUploadBytes} bytes and ${o.maxPixels} pixels.` },
    paths: {
      '/api/score': {
        post: {
          summary: 'Find the faces of a photo, decide the group of each, score it, and find lookalikes of the largest',
          requestBody: upload,
          responses: {
            200: {
              description: 'status none / one / several, every face largest first, the lookalikes of the largest',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      status: { enum: ['none', 'one', 'several'] },
                      message: { type: 'string' },
                      image: { type: 'object', properties: { width: { type: 'integer' }, height: { type: 'integer' } } },
                      used: { type: ['integer', 'null'] },
                      faces: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            box,
                            landmarks: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } } },
                            detectionScore: { type: 'number' },
                            age: { type: 'number' },
                            gender: { type: 'object', properties: { label: { enum: ['male', 'female'] }, probability: { type: 'number' } } },
                            group: {
                              type: 'object',
                              properties: { label: { type: 'string' }, probability: { type: 'number' }, source: { enum: ['trained', 'gender-net', 'none'] } },
                            },
                            score: {
                              type: 'object',
                              properties: {
                                level: { type: 'integer' },
                                label: { type: 'string' },
                                probability: { type: 'number' },
                                probabilities: {
                                  type: 'array',
                                  items: { type: 'object', properties: { label: { type: 'string' }, probability: { type: 'number' } } },
                                },
                              },
                            },
                          },
                        },
                      },
                      lookalikes: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            rank: { type: 'integer' },
                            name: { type: 'string' },
                            distance: { type: 'number' },
                            probability: { type: ['number', 'null'] },
                            thumbnail: { type: 'string' },
                          },
                        },
                      },
                      latency_ms: { type: 'integer' },
                    },
                  },
                },
              },
            },
            ...errors([400, 413, 415, 422, 503, 504]),
          },
        },
      },
      '/api/portrait': {
        post: {
          summary: 'The photo with its background blurred (portrait mode), as a JPEG',
          parameters: [{ name: 'strength', in: 'query', schema: { type: 'number', minimum: 0.005, maximum: 0.1, default: 0.02 } }],
          requestBody: upload,
          responses: {
            200: { description: 'JPEG', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } },
            ...errors([400, 413, 415, 422, 503, 504]),
          },
        },
      },
      '/api/health': { get: { summary: 'Liveness, workers and queue', responses: { 200: { description: 'ok' } } } },
      '/api/model': {
        get: { summary: 'The loaded model: description, backbone, gate, groups, levels, held-out report', responses: { 200: { description: 'ok' } } },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'ok' } } } },
    },
  };
}
