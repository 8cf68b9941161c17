import { parseMeasureDetail, type RejectReason } from '../cleaning.js';
import { raw, type Lang } from '../i18n.js';
import { t } from './catalog.js';

/** The short name of a cleaning reason, for lists and summaries. */
export function reasonName(lang: Lang, reason: RejectReason): string {
  return t(lang, `reasonName.${reason}`);
}

/** Why a photo was rejected, and what to do about it, in the user's language. */
export function rejectText(lang: Lang, reason: RejectReason, detail: string | null, duplicateOf: number | null): { reason: string; tip: string } {
  const tip = t(lang, `tip.${reason}`);
  // The measure that failed, with its limit (never another figure that would contradict the reason).
  const m = parseMeasureDetail(detail);
  if (m) return { reason: t(lang, `measure.${m.measure}`, { value: m.value, limit: m.limit }), tip };
  const d = detail ? raw(t(lang, 'reason.detail', { detail })) : '';
  const asNumber = reason === 'blurry' || reason === 'too-dark' || reason === 'too-bright';
  return {
    reason: t(lang, `reason.${reason}`, { detail: asNumber ? (detail ?? '?') : d, dup: duplicateOf ?? '?' }),
    tip,
  };
}
