import { webBaseUrl } from './export-link.js';

/**
 * The invocation service's addresses for a station, as the chat shows them (`/deploy`)
 * and the web process serves them: the detect endpoint and the visual page.
 */

/**
 * The visual page's address for a station. The key rides in the fragment: browsers
 * never send a fragment to the server or in a Referer, and the page moves it to
 * sessionStorage and out of the address bar at once.
 */
export function invokePageUrl(baseUrl: string, stationNo: string, key?: string): string {
  const base = `${baseUrl.replace(/\/+$/, '')}/invoke/${encodeURIComponent(stationNo)}`;
  return key ? `${base}#key=${encodeURIComponent(key)}` : base;
}

/** `POST` here with an image and the station's key to get its detections. */
export function detectUrl(baseUrl: string, stationNo: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/stations/${encodeURIComponent(stationNo)}/detect`;
}

/** Both addresses from the web process's configuration (PUBLIC_URL, else WEB_HOST:WEB_PORT). */
export function invokeLinks(
  config: { PUBLIC_URL?: string | undefined; WEB_HOST: string; WEB_PORT: number },
  stationNo: string,
  key?: string,
): { detect: string; page: string } {
  const base = webBaseUrl(config);
  return { detect: detectUrl(base, stationNo), page: invokePageUrl(base, stationNo, key) };
}

/**
 * How `/deploy` opens the visual page from the chat: a Telegram Mini App (`web_app`) when
 * PUBLIC_URL is https — the page then calls detect with Telegram's signed initData, no key
 * needed —, else a plain link to the page (the key in its fragment when it was just issued);
 * no button when real Telegram is talking to a bot whose web process has no public address.
 */
export function invokePageButton(
  config: { PUBLIC_URL?: string | undefined; WEB_HOST: string; WEB_PORT: number; TELEGRAM_API_ROOT: string },
  stationNo: string,
  key?: string,
): { kind: 'url' | 'web_app'; url: string } | undefined {
  const base = webBaseUrl(config);
  if (base.startsWith('https://')) return { kind: 'web_app', url: invokePageUrl(base, stationNo) };
  const local = !/^https:\/\/api\.telegram\.org\/?$/.test(config.TELEGRAM_API_ROOT);
  if (!local && config.PUBLIC_URL === undefined) return undefined;
  return { kind: 'url', url: invokePageUrl(base, stationNo, key) };
}
