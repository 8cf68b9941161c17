import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkStationNo } from '../../core/index.js';
import { configureSharp, decodeForDetector, DETECT_DEFAULTS } from '../../vision/index.js';
import type { Route, WebDeps } from '../server.js';
import { DEFAULT_INIT_DATA_MAX_AGE_S, validateInitData } from '../editor/index.js';
import { Gate } from './gate.js';
import { bodyKind, declaredLength, readImageBody } from './body.js';
import { errorBody, INVOKE_ERRORS, type InvokeErrorCode } from './copy.js';
import { deployedModel, ensureModelFile, runInference, toApiDetections } from './model.js';
import { ModelCache, ModelUnavailableError } from './model-cache.js';
import { modelInfo } from './model-info.js';
import { openApiDocument } from './openapi.js';
import { invokePage, serveInvokeStatic } from './page.js';
import { DEFAULT_MAX_DETECTIONS, MAX_DETECTIONS_LIMIT, type DetectResponse } from './schemas.js';

/** Limits of the invocation service; tests lower them. */
export interface InvokeLimits {
  /** Largest upload, bytes (the image itself for multipart). Default 20 MiB. */
  maxBytes: number;
  /** Largest decoded image, width × height from its header. Default 40 megapixels. */
  maxPixels: number;
  /** onnxruntime intra-op threads per model. Default 1: the web process also serves the editor. */
  threads: number;
  /** Detect requests decoding or inferring at once (see `gate.ts`); more wait in order. Default 2. */
  concurrency: number;
  /** ONNX sessions kept loaded across stations (see `model-cache.ts`). Default 16. */
  maxModels: number;
}

export const DEFAULT_INVOKE_LIMITS: InvokeLimits = { maxBytes: 20 * 1024 * 1024, maxPixels: 40e6, threads: 1, concurrency: 2, maxModels: 16 };

/**
 * On every API answer. Any origin may call the API from a browser (a contestant's own
 * page, an API console): the key travels in a header, never in a cookie, so a foreign
 * page gains nothing it was not given.
 */
const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'access-control-allow-origin': '*' } as const;

/** The answer to a browser's CORS preflight of an API call. */
const PREFLIGHT_HEADERS = {
  ...API_HEADERS,
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'authorization, x-api-key, x-telegram-init-data, content-type',
  'access-control-max-age': '600',
} as const;

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { ...API_HEADERS, ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** The key a request carries: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function apiKeyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (m?.[1]) return m[1];
  const h = req.headers['x-api-key'];
  return typeof h === 'string' && h.trim() ? h.trim() : undefined;
}

/** A Telegram Mini App's initData: `X-Telegram-Init-Data: <initData>` or `Authorization: tma <initData>`. */
export function initDataOf(req: IncomingMessage): string | undefined {
  const h = req.headers['x-telegram-init-data'];
  if (typeof h === 'string' && h.length > 0) return h;
  const auth = req.headers.authorization;
  return auth?.startsWith('tma ') ? auth.slice(4) : undefined;
}

type Query = { ok: true; threshold: number; max: number } | { ok: false };

/** `threshold` (0..1, default the detector's 0.3) and `max` (1..300, default 100). */
export function parseDetectQuery(url: URL): Query {
  const t = url.searchParams.get('threshold');
  const m = url.searchParams.get('max');
  const threshold = t === null || t === '' ? DETECT_DEFAULTS.scoreThreshold : Number(t);
  const max = m === null || m === '' ? DEFAULT_MAX_DETECTIONS : Number(m);
  const isOk = Number.isFinite(threshold) && threshold >= 0 && threshold <= 1 && Number.isInteger(max) && max >= 1 && max <= MAX_DETECTIONS_LIMIT;
  return isOk ? { ok: true, threshold, max } : { ok: false };
}

/** A path segment decoded; '' when its escapes are malformed. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

const API_PREFIX = '/api/v1/stations/';

/**
 * The invocation service: `POST /api/v1/stations/{station}/detect`, `GET
 * /api/v1/stations/{station}/model`, `GET /api/v1/openapi.json`, and the visual page
 * `GET /invoke/{station}` with its files. Every refusal is a JSON error from
 * `copy.ts`; checks that need no body (station, key, query, deployed model, declared
 * length) run before a byte of the upload is read.
 */
export function invokeRoutes(deps: WebDeps, limits: Partial<InvokeLimits> = {}, opts: { models?: ModelCache } = {}): Route[] {
  const lim: InvokeLimits = { ...DEFAULT_INVOKE_LIMITS, ...limits };
  const mib = Math.round((lim.maxBytes / 1024 / 1024) * 10) / 10;
  const mpx = Math.round(lim.maxPixels / 1e5) / 10;
  const gate = new Gate(lim.concurrency);
  const models = opts.models ?? new ModelCache({ maxModels: lim.maxModels, threads: lim.threads });
  const limitOf = (code: InvokeErrorCode): number | undefined => (code === 'body-too-large' ? mib : code === 'too-many-pixels' ? mpx : undefined);

  /** Answers an error; `unread` when the request body was not (fully) read, so the connection is not reused. */
  const fail = (res: ServerResponse, code: InvokeErrorCode, unread = false): void => {
    const extra: Record<string, string> = unread ? { connection: 'close' } : {};
    if (code === 'missing-key' || code === 'bad-key') extra['www-authenticate'] = 'Bearer realm="trainer-copilot"';
    json(res, INVOKE_ERRORS[code].status, errorBody(code, limitOf(code)), extra);
  };

  /**
   * The station of the path, checked to exist and to match the request's credential —
   * the station's API key, or (the visual page as a Mini App) Telegram's initData whose
   * user is bound to this very station; answers the refusal itself.
   */
  const authorize = (req: IncomingMessage, res: ServerResponse, raw: string, unread: boolean): string | undefined => {
    const check = checkStationNo(safeDecode(raw));
    const stationNo = check.kind === 'ok' ? check.value : undefined;
    if (!stationNo || !deps.store.stations.get(stationNo)) return void fail(res, 'unknown-station', unread);
    const key = apiKeyOf(req);
    const initData = key ? undefined : initDataOf(req);
    if (initData !== undefined) {
      const botToken = deps.config.TELEGRAM_BOT_TOKEN;
      const tg = botToken ? validateInitData(initData, { botToken, maxAgeS: DEFAULT_INIT_DATA_MAX_AGE_S }) : undefined;
      if (!tg?.ok) return void fail(res, 'bad-init-data', unread);
      // Checked on every call, not only when the page opened: an unbound user loses access at once.
      if (deps.store.users.get(tg.value.userId)?.stationNo !== stationNo) return void fail(res, 'not-your-station', unread);
      return stationNo;
    }
    if (!key) return void fail(res, 'missing-key', unread);
    if (!deps.store.apiKeys.verify(stationNo, key)) return void fail(res, 'bad-key', unread);
    return stationNo;
  };

  const detect = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> => {
    const t0 = performance.now();
    const stationNo = authorize(req, res, raw, true);
    if (!stationNo) return;
    const query = parseDetectQuery(url);
    if (!query.ok) return fail(res, 'bad-query', true);
    const deployed = deployedModel(deps.store, stationNo);
    if (!deployed) return fail(res, 'no-deployed-model', true);
    if (bodyKind(req) === 'unsupported') return fail(res, 'unsupported-media-type', true);
    const declared = declaredLength(req);
    if (declared !== undefined && declared > lim.maxBytes + (bodyKind(req) === 'multipart' ? 64 * 1024 : 0)) {
      return fail(res, 'body-too-large', true);
    }
    const body = await readImageBody(req, lim.maxBytes);
    if (!body.ok) return fail(res, body.code, body.code === 'body-too-large');
    // A model trained on another host arrives through the object store on first use.
    await ensureModelFile(deps.store, deps.blobs, deployed).catch((err: unknown) => {
      deps.log.error({ station: stationNo, run: deployed.run.id, err: err instanceof Error ? err.message : String(err) }, 'invoke: could not fetch the deployed model from the object store');
    });
    const outcome = await gate.run(async () => {
      // The detector-only decode: the header's pixel count is checked before any pixel is
      // decoded, then one pass orients and shrinks straight to the model's input size.
      const decoded = await decodeForDetector(body.bytes, { maxBytes: lim.maxBytes, maxInputPixels: lim.maxPixels });
      if (decoded.kind === 'rejected') return decoded;
      const sourceSize = { width: decoded.width, height: decoded.height };
      try {
        const result = await runInference(models, deployed.file, decoded.image, { sourceSize, scoreThreshold: query.threshold });
        return { kind: 'ok' as const, sourceSize, result };
      } catch (err) {
        if (!(err instanceof ModelUnavailableError)) throw err;
        deps.log.error({ station: stationNo, run: deployed.run.id, err: err.message }, 'invoke: deployed model unavailable');
        return { kind: 'unavailable' as const };
      }
    });
    if (outcome.kind === 'unavailable') return fail(res, 'model-unavailable');
    if (outcome.kind === 'rejected') {
      const code = outcome.reason === 'too-many-pixels' ? 'too-many-pixels' : outcome.reason === 'too-large-file' ? 'body-too-large' : 'bad-image';
      return fail(res, code);
    }
    const { result, sourceSize } = outcome;
    const answer: DetectResponse = {
      run: deployed.run.id,
      model: { file: `models/${deployed.run.id}.onnx`, deployedAt: new Date(deployed.run.deployedAt ?? 0).toISOString() },
      inferenceMs: Math.round(result.inferenceMs * 100) / 100,
      totalMs: Math.round((performance.now() - t0) * 100) / 100,
      image: sourceSize,
      threshold: query.threshold,
      detections: toApiDetections(result.detections, deps.exam, query.max),
    };
    json(res, 200, answer);
    // After answering: the caller never waits on this write, and a failed write only costs a figure.
    try {
      deps.store.invocations.record({ stationNo, runId: deployed.run.id, totalMs: answer.totalMs, inferenceMs: answer.inferenceMs });
    } catch (err) {
      deps.log.warn({ station: stationNo, err: err instanceof Error ? err.message : String(err) }, 'invoke: could not record the call');
    }
  };

  const model = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const stationNo = authorize(req, res, raw, false);
    if (!stationNo) return;
    const deployed = deployedModel(deps.store, stationNo);
    if (!deployed) return fail(res, 'no-deployed-model');
    json(res, 200, modelInfo(deployed.run, deps.exam));
  };

  let openApiText: string | undefined;
  return [
    async (req, res, url) => {
      const p = url.pathname;
      if (p === '/api/v1/openapi.json' && req.method === 'GET') {
        openApiText ??= JSON.stringify(openApiDocument(lim), null, 2);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
        res.end(openApiText);
        return true;
      }
      if (p.startsWith(API_PREFIX)) {
        const m = /^\/api\/v1\/stations\/([^/]+)\/(detect|model)$/.exec(p);
        if (!m?.[1]) return false;
        const want = m[2] === 'detect' ? 'POST' : 'GET';
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { ...PREFLIGHT_HEADERS, allow: want });
          res.end();
          return true;
        }
        if (req.method !== want) {
          res.setHeader('allow', want);
          fail(res, 'method-not-allowed', true);
          return true;
        }
        if (m[2] === 'detect') await detect(req, res, url, m[1]);
        else model(req, res, m[1]);
        return true;
      }
      if (req.method !== 'GET') return false;
      if (p.startsWith('/invoke/static/')) return serveInvokeStatic(res, p.slice('/invoke/static/'.length));
      const page = /^\/invoke\/([^/]+)$/.exec(p);
      if (page?.[1]) {
        const check = checkStationNo(safeDecode(page[1]));
        const stationNo = check.kind === 'ok' && deps.store.stations.get(check.value) ? check.value : undefined;
        invokePage(res, stationNo, url.searchParams.get('lang') === 'en' ? 'en' : 'zh');
        return true;
      }
      return false;
    },
  ];
}

/**
 * Process-wide settings the detect pipeline relies on; the web entry point calls this
 * once before serving. sharp gets one libvips thread per image and no operation cache
 * (vision's `configureSharp` defaults): uploads are never decoded twice, and the web
 * process shares two cores with the editor.
 */
export function prepareInvokeProcess(): void {
  configureSharp();
}
