import type { Update } from 'telegraf/types';

/**
 * What makes a Telegram update itself, beside its `update_id`: its kind and the ids and date
 * of what it carries (chat, sender, message id, callback/query id). A redelivered update has
 * the same identity; a new update that reuses an id (a Bot API server started afresh counts
 * from 1 again) has another. Holds no text, so no ID number reaches the database this way.
 */
export function updateIdentity(update: Update): string {
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
  const payload: unknown = (update as unknown as Record<string, unknown>)[kind];
  if (typeof payload !== 'object' || payload === null) return kind;
  const p = payload as Record<string, unknown>;
  const idOf = (v: unknown): unknown => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>).id : undefined);
  const msg = p.message;
  const parts = [
    kind,
    p.id,
    idOf(p.chat),
    idOf(p.from),
    p.message_id,
    p.date,
    p.edit_date,
    typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>).message_id : undefined,
  ];
  return parts.map((v) => (v === undefined || v === null ? '' : String(v))).join(':');
}
