import { z } from 'zod';
import { INVOKE_ERRORS, type InvokeErrorCode } from './copy.js';
import { DEFAULT_MAX_DETECTIONS, detectResponseSchema, errorResponseSchema, MAX_DETECTIONS_LIMIT, modelResponseSchema } from './schemas.js';

/**
 * The OpenAPI 3.1 document of the invocation service, served at
 * `GET /api/v1/openapi.json`. Component schemas are generated from the zod schemas the
 * route answers with (JSON Schema 2020-12, OpenAPI 3.1's dialect); the contract test
 * checks real answers against this document, not against the zod schemas.
 */

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'output' }) as Record<string, unknown>;
  return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };

function errors(codes: readonly InvokeErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, InvokeErrorCode[]>();
  for (const c of codes) byStatus.set(INVOKE_ERRORS[c].status, [...(byStatus.get(INVOKE_ERRORS[c].status) ?? []), c]);
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${INVOKE_ERRORS[c].en}`).join(' | '),
      content: { 'application/json': { schema: errorRef } },
    };
  }
  return out;
}

const station = {
  name: 'station',
  in: 'path',
  required: true,
  description: 'Station number, e.g. A01 (case-insensitive).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,15}$' },
};

const AUTH_ERRORS: InvokeErrorCode[] = ['unknown-station', 'missing-key', 'bad-key', 'bad-init-data', 'not-your-station', 'no-deployed-model'];

/** The document; `limits` are stated in the descriptions. */
export function openApiDocument(limits: { maxBytes: number; maxPixels: number }): Record<string, unknown> {
  const mib = Math.round((limits.maxBytes / 1024 / 1024) * 10) / 10;
  const mpx = Math.round(limits.maxPixels / 1e5) / 10;
  const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trainer Copilot invocation service · 模型调用服务',
      version: '1.0.0',
      description:
        'Detects the exam classes in a photo with the station\'s deployed model. ' +
        'Authenticate with the station\'s API key (from /deploy in the chat): `Authorization: Bearer <key>` or `X-API-Key: <key>`; ' +
        'the visual page opened as a Telegram Mini App sends Telegram\'s signed initData instead (`X-Telegram-Init-Data`), valid for the user\'s own station only. ' +
        `Uploads up to ${mib} MiB and ${mpx} megapixels; JPEG, PNG or WebP, EXIF orientation applied.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }, { telegramInitData: [] }],
    paths: {
      '/api/v1/stations/{station}/detect': {
        post: {
          operationId: 'detect',
          summary: 'Detect meters in one image · 识别一张图片',
          parameters: [
            station,
            { name: 'threshold', in: 'query', required: false, description: 'Keep detections scoring at least this (default 0.3).', schema: { type: 'number', minimum: 0, maximum: 1 } },
            {
              name: 'max',
              in: 'query',
              required: false,
              description: `At most this many detections, best first (default ${DEFAULT_MAX_DETECTIONS}).`,
              schema: { type: 'integer', minimum: 1, maximum: MAX_DETECTIONS_LIMIT },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: { type: 'object', properties: { image: binary }, required: ['image'] },
                encoding: { image: { contentType: 'image/jpeg, image/png, image/webp' } },
              },
              'image/jpeg': { schema: binary },
              'image/png': { schema: binary },
              'image/webp': { schema: binary },
              'application/octet-stream': { schema: binary },
            },
          },
          responses: {
            '200': { description: 'Detections.', content: { 'application/json': { schema: { $ref: '#/components/schemas/DetectResponse' } } } },
            ...errors([...AUTH_ERRORS, 'bad-query', 'no-image', 'bad-image', 'unsupported-media-type', 'body-too-large', 'too-many-pixels', 'method-not-allowed', 'model-unavailable']),
          },
        },
      },
      '/api/v1/stations/{station}/model': {
        get: {
          operationId: 'model',
          summary: 'The deployed model and its metrics · 已部署模型及指标',
          parameters: [station],
          responses: {
            '200': { description: 'The deployed run.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ModelResponse' } } } },
            ...errors([...AUTH_ERRORS, 'method-not-allowed']),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The station API key.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        telegramInitData: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Telegram-Init-Data',
          description: "A Telegram Mini App's initData, signed with the bot token and under an hour old; its user must be bound to the station.",
        },
      },
      schemas: {
        DetectResponse: schemaOf(detectResponseSchema),
        ModelResponse: schemaOf(modelResponseSchema),
        Error: schemaOf(errorResponseSchema),
      },
    },
  };
}
