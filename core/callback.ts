/**
 * Inline-button payloads (`callback_data`, at most 64 bytes): `v<version>:<action>:<arg>:<arg>...`.
 * A press whose version or shape is unknown is stale or forged; the bot answers
 * "this menu is outdated" and changes nothing.
 */

export const CALLBACK_VERSION = 1;

export type Callback = { action: string; args: string[] };

const PART = /^[A-Za-z0-9+_.-]{0,24}$/;

/** Builds a payload; throws when it would not fit Telegram's 64-byte limit (a bug). */
export function encodeCallback(action: string, ...args: Array<string | number>): string {
  const parts = [`v${CALLBACK_VERSION}`, action, ...args.map(String)];
  for (const p of parts) {
    if (!PART.test(p)) throw new Error(`callback part ${JSON.stringify(p)} must match ${PART}; shorten it`);
  }
  const data = parts.join(':');
  if (Buffer.byteLength(data) > 64) throw new Error(`callback_data over 64 bytes: ${data}`);
  return data;
}

/** Parses a payload; `undefined` for another version or a malformed string. */
export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || data.length > 64) return undefined;
  const [version, action, ...args] = data.split(':');
  if (version !== `v${CALLBACK_VERSION}` || !action) return undefined;
  if (![action, ...args].every((p) => PART.test(p))) return undefined;
  return { action, args };
}
