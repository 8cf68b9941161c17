import type { Config } from './config.js';
import { DEFAULT_LINK_TTL_MS, editorUrl, signEditorLink } from './link-token.js';

/**
 * How a photo's Edit button opens the box editor: a Telegram Mini App when the web
 * process has a public https URL, a signed link when the chat is the local emulator
 * (or PUBLIC_URL is plain http), and no button when real Telegram could not reach it.
 */
export function editorButton(
  config: Config,
  secret: string,
  claims: { stationNo: string; photoId: number; userId: number },
  now = Date.now(),
): { kind: 'url' | 'web_app'; url: string } | undefined {
  const local = !/^https:\/\/api\.telegram\.org\/?$/.test(config.TELEGRAM_API_ROOT);
  const base = config.PUBLIC_URL ?? (local ? `http://${config.WEB_HOST === '0.0.0.0' ? '127.0.0.1' : config.WEB_HOST}:${config.WEB_PORT}` : undefined);
  if (!base) return undefined;
  if (!local && base.startsWith('https://')) return { kind: 'web_app', url: `${base.replace(/\/$/, '')}/editor?photo=${claims.photoId}` };
  const token = signEditorLink({ secret, ...claims, expiresAt: now + DEFAULT_LINK_TTL_MS });
  return { kind: 'url', url: editorUrl(base, token) };
}
