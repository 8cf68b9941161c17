import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bilingual, classPalette, comboClassIds } from '../../core/index.js';
import { ACCEPTED_STATUSES, assertInside, type Photo, type Store } from '../../store/index.js';
import type { Route, WebDeps } from '../server.js';
import { resolveAccess, type AccessDeps, type EditorAccess } from './access.js';
import { EDITOR_HEADERS, readJsonBody, send, sendJsonNoStore, serveStatic } from './http.js';
import { deniedPage, editorPage } from './pages.js';
import { MAX_SAVE_BODY_BYTES, parseSaveBody, type ApiErrorCode, type EditorBox } from './save-body.js';
import { snapEditorBox } from './snap.js';

/** What the web process learns after a save, to update the chat (e.g. edit the preview message). */
export interface EditorSaved {
  stationNo: string;
  photoId: number;
  /** The new label version, now the photo's confirmed label. */
  version: number;
  userId: number;
}

/** The editor routes' needs beyond the web process's. */
export interface EditorDeps extends WebDeps {
  /** Called after each successful save; its failure is logged, never shown to the saver. */
  onSaved: (event: EditorSaved) => void | Promise<void>;
  /** Overrides `config.LINK_SECRET` (signed links are refused without one). */
  linkSecret?: string;
  /** Oldest Mini App initData accepted, in seconds (default 1 h). */
  initDataMaxAgeS?: number;
  /** Clock in ms; tests pin it. */
  now?: () => number;
}

const isAccepted = (p: Photo): boolean => (ACCEPTED_STATUSES as readonly string[]).includes(p.status);

/**
 * Boxes the editor opens with: the confirmed label, else the newest human label, else
 * the newest proposal, else none. `version` is where they came from (null: none).
 */
export function startingBoxes(store: Store, photo: Photo): { version: number | null; boxes: EditorBox[] } {
  let chosen = photo.labelVersion === null ? undefined : store.labels.get(photo.id, photo.labelVersion);
  if (!chosen) {
    const latest = store.labels.latest(photo.id);
    for (let v = latest?.version ?? 0; v >= 1 && !chosen; v--) {
      const lv = v === latest?.version ? latest : store.labels.get(photo.id, v);
      if (lv?.kind === 'label') chosen = lv;
    }
    chosen ??= latest;
  }
  if (!chosen) return { version: null, boxes: [] };
  return { version: chosen.version, boxes: chosen.boxes.map(({ classId, x1, y1, x2, y2 }) => ({ classId, x1, y1, x2, y2 })) };
}

/**
 * The box-editor routes: the page `GET /editor`, its files `GET /editor/static/*`, and
 * the JSON API `GET /editor/api/photo`, `GET /editor/api/image`, `POST /editor/api/save`,
 * `POST /editor/api/snap`.
 * Every API call proves access with `?t=` (signed link) or Mini App initData.
 *
 * @throws Error at start-up when LINK_SECRET is set but shorter than 16 characters.
 */
export function editorRoutes(deps: EditorDeps): Route[] {
  const linkSecret = deps.linkSecret ?? deps.config.LINK_SECRET;
  if (linkSecret !== undefined && linkSecret.length < 16) {
    throw new Error('LINK_SECRET is shorter than 16 characters; set a long random value (e.g. `openssl rand -hex 32`)');
  }
  const access: AccessDeps = {
    store: deps.store,
    linkSecret,
    botToken: deps.config.TELEGRAM_BOT_TOKEN,
    initDataMaxAgeS: deps.initDataMaxAgeS,
    now: deps.now,
  };
  const classIds = new Set(deps.exam.classes.map((c) => c.id));
  const apiError = (res: ServerResponse, status: number, code: ApiErrorCode, n?: number): void =>
    sendJsonNoStore(res, status, { error: code, message: bilingual(`editor.error.${code}`, n === undefined ? {} : { n }) });

  /** Resolves access for an API call, answering the refusal itself. */
  const allow = (req: IncomingMessage, res: ServerResponse, url: URL): EditorAccess | undefined => {
    const r = resolveAccess(req, url, access);
    if (r.ok) {
      if (isAccepted(r.access.photo)) return r.access;
      apiError(res, 409, 'not-accepted');
      return undefined;
    }
    sendJsonNoStore(res, r.status, { error: r.code, message: bilingual(`editor.denied.${r.code}`) });
    return undefined;
  };

  const page = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    // Without `t` the page may be a Mini App whose initData sits in the URL fragment,
    // which never reaches the server: the page's API calls are checked instead.
    if (url.searchParams.has('t')) {
      const r = resolveAccess(req, url, access);
      if (!r.ok) return send(res, r.status, 'text/html; charset=utf-8', deniedPage(r.code, r.lang));
      return send(res, 200, 'text/html; charset=utf-8', editorPage(r.access.lang));
    }
    send(res, 200, 'text/html; charset=utf-8', editorPage(url.searchParams.get('lang') === 'en' ? 'en' : 'zh'));
  };

  const palette = classPalette(Math.max(0, ...deps.exam.classes.map((c) => c.id + 1)));
  const photo = (a: EditorAccess, res: ServerResponse): void => {
    const p = a.photo;
    if (p.width === null || p.height === null || p.imagePath === null) return apiError(res, 409, 'no-image');
    const start = startingBoxes(deps.store, p);
    sendJsonNoStore(res, 200, {
      photoId: p.id,
      stationNo: p.stationNo,
      width: p.width,
      height: p.height,
      // The chat preview's colours (core/class-palette), so a class looks the same in both.
      classes: deps.exam.classes.map((c) => ({ id: c.id, key: c.key, zh: c.zh, en: c.en, color: palette[c.id] ?? '#ff3030' })),
      boxes: start.boxes,
      // The editor preselects the combo's first class without a box.
      comboClassIds: comboClassIds(p.combo),
      version: start.version,
      lang: a.lang,
    });
  };

  /** The photo's image file, resolved and kept inside DATA_DIR; undefined (logged) when unavailable. */
  const imageFile = async (a: EditorAccess): Promise<string | undefined> => {
    const file = a.photo.imagePath;
    try {
      if (file === null) throw new Error('no image');
      // Resolve links first, so a symlink cannot lead outside DATA_DIR either.
      const real = await realpath(file);
      assertInside(await realpath(deps.store.dataDir), real);
      if (!(await stat(real)).isFile()) throw new Error('not a file');
      return real;
    } catch (err) {
      deps.log.warn({ photoId: a.photo.id, err: err instanceof Error ? err.message : String(err) }, 'editor: image refused');
      return undefined;
    }
  };

  const image = async (a: EditorAccess, res: ServerResponse): Promise<void> => {
    const real = await imageFile(a);
    if (real === undefined) return apiError(res, 404, 'no-image');
    res.writeHead(200, { ...EDITOR_HEADERS, 'content-type': 'image/jpeg' });
    const stream = createReadStream(real);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  /**
   * The common start of a JSON POST (save, snap): access, JSON only — a cross-site form
   * (text/plain, multipart) cannot send that without a CORS preflight —, a body within the
   * limit, a photo with an image. Answers the request itself and returns undefined when any fails.
   */
  const jsonPost = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const a = allow(req, res, url);
    if (!a) {
      req.resume();
      return undefined;
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      apiError(res, 415, 'not-json');
      return undefined;
    }
    const body = await readJsonBody(req, MAX_SAVE_BODY_BYTES);
    if (!body.ok) {
      apiError(res, body.error === 'too-large' ? 413 : 400, body.error);
      return undefined;
    }
    const { width, height } = a.photo;
    if (width === null || height === null) {
      apiError(res, 409, 'no-image');
      return undefined;
    }
    return { a, p: a.photo, body: body.value, size: { width, height } };
  };

  const save = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const post = await jsonPost(req, res, url);
    if (!post) return;
    const { a, p } = post;
    const parsed = parseSaveBody(post.body, { ...post.size, classIds });
    if (!parsed.ok) return apiError(res, 400, parsed.error, parsed.box);
    const boxes = parsed.boxes.map((b) => ({ ...b, source: 'human' as const }));
    const version = deps.store.labels.addVersion(p.id, { kind: 'label', author: a.userId, boxes });
    const confirmed = deps.store.labels.confirm(p.id, version);
    if (confirmed.kind === 'not-accepted' || confirmed.kind === 'not-found') return apiError(res, 409, 'not-accepted');
    deps.log.info({ stationNo: p.stationNo, photoId: p.id, version, boxes: boxes.length, via: a.via }, 'editor: label saved');
    sendJsonNoStore(res, 200, { ok: true, version });
    const event: EditorSaved = { stationNo: p.stationNo, photoId: p.id, version, userId: a.userId };
    void Promise.resolve()
      .then(() => deps.onSaved(event))
      .catch((err: unknown) => deps.log.error({ err, photoId: p.id, version }, 'editor: onSaved failed'));
  };

  /**
   * Snap one box to the object's outline (`vision/image/snap.ts`): `{ box }` in, `{ box,
   * sides, isChanged }` out. Nothing is saved; the page puts the box in place (one undo
   * step) and the contestant saves as usual. Server-side so the page and the pre-label
   * share one measured implementation; only the box's region of the photo is decoded.
   */
  const snap = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const post = await jsonPost(req, res, url);
    if (!post) return;
    const { a, p } = post;
    const raw = post.body as { box?: unknown } | null;
    const parsed = parseSaveBody({ boxes: [raw && typeof raw === 'object' ? raw.box : undefined] }, { ...post.size, classIds });
    if (!parsed.ok) return apiError(res, 400, parsed.error, parsed.box);
    const box = parsed.boxes[0];
    const file = await imageFile(a);
    if (!box || file === undefined) return apiError(res, 404, 'no-image');
    try {
      sendJsonNoStore(res, 200, await snapEditorBox(file, box));
    } catch (err) {
      deps.log.warn({ photoId: p.id, err: err instanceof Error ? err.message : String(err) }, 'editor: snap failed');
      apiError(res, 404, 'no-image');
    }
  };

  return [
    async (req, res, url) => {
      const path = url.pathname;
      if (path !== '/editor' && !path.startsWith('/editor/')) return false;
      const method = req.method ?? 'GET';
      if (path === '/editor/api/save') {
        if (method !== 'POST') return notAllowed(res, 'POST');
        await save(req, res, url);
        return true;
      }
      if (path === '/editor/api/snap') {
        if (method !== 'POST') return notAllowed(res, 'POST');
        await snap(req, res, url);
        return true;
      }
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, 'GET');
      if (path === '/editor') page(req, res, url);
      else if (path.startsWith('/editor/static/')) return serveStatic(res, path.slice('/editor/static/'.length));
      else if (path === '/editor/api/photo') {
        const a = allow(req, res, url);
        if (a) photo(a, res);
      } else if (path === '/editor/api/image') {
        const a = allow(req, res, url);
        if (a) await image(a, res);
      } else return false;
      return true;
    },
  ];
}

function notAllowed(res: ServerResponse, allowed: string): true {
  res.writeHead(405, { ...EDITOR_HEADERS, allow: allowed, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: 'method-not-allowed' }));
  return true;
}
