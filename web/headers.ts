import type { ServerResponse } from 'node:http';

/**
 * Headers on every web response. `nosniff` so nothing we serve is run as another type;
 * a CSP that allows nothing by default (routes with pages set their own, stricter
 * where they can), and no framing except where a route allows it.
 */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Telegram's web clients, which show Mini Apps (the box editor) in an iframe. */
export const TELEGRAM_FRAME_ANCESTORS = 'https://web.telegram.org https://*.telegram.org';

/** Sets the base headers; a route's own `writeHead` headers of the same name win. */
export function setBaseHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
}
