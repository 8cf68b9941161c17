import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyExportLink } from '../../core/index.js';
import { stationPaths } from '../../store/index.js';
import type { Route, WebDeps } from '../server.js';

const PATH = /^\/files\/export\/([A-Za-z0-9][A-Za-z0-9_-]{0,31})\/([A-Za-z0-9_.-]{1,512})$/;

/**
 * `GET /files/export/<station>/<token>`: streams the station's dataset or hand-in zip
 * (the token says which, and for how long) as an attachment. The link the export worker
 * sends when a zip is over the Bot API's 50 MB upload limit. A bad, expired or other
 * station's token gets 403 and no hint of what exists.
 */
export function exportFileRoute(deps: WebDeps & { linkSecret: string }): Route {
  return async (req, res, url) => {
    const m = req.method === 'GET' ? PATH.exec(url.pathname) : null;
    if (!m) return false;
    const [, stationNo = '', token = ''] = m;
    const claims = verifyExportLink(token, deps.linkSecret, stationNo);
    if (!claims) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('link invalid or expired / 链接无效或已过期');
      return true;
    }
    const paths = stationPaths(deps.config.DATA_DIR, stationNo);
    const name = claims.kind === 'dataset' ? `${stationNo}.zip` : `${stationNo}-handin.zip`;
    const file = join(claims.kind === 'dataset' ? paths.exports : paths.handin, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not built yet / 尚未生成');
      return true;
    }
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': info.size,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    });
    createReadStream(file)
      .on('error', (err) => {
        deps.log.warn({ err }, 'export download failed');
        res.destroy(err);
      })
      .pipe(res);
    return true;
  };
}
