import { fillTemplate, parseMeasureDetail, type Lang, type RejectReason, type TextParams } from '../../core/index.js';
import { en } from './en.js';
import { zh, type WorkerCopyKey } from './zh.js';

export type { WorkerCopyKey } from './zh.js';

const catalogs: Record<Lang, Record<WorkerCopyKey, string>> = { zh, en };

/** Worker message text in `lang` (placeholders HTML-escaped unless `raw()`). */
export function wt(lang: Lang, key: WorkerCopyKey, params: TextParams = {}): string {
  return fillTemplate(catalogs[lang][key], params);
}

/** The reason a photo was rejected, and what to do about it, in the user's language. */
export function rejectText(lang: Lang, reason: RejectReason, detail: string | null, duplicateOf: number | null): { reason: string; tip: string } {
  const tip = wt(lang, `tip.${reason}`);
  // The measure that failed, with its limit (never another figure that would contradict the reason).
  const m = parseMeasureDetail(detail);
  if (m) return { reason: wt(lang, `measure.${m.measure}`, { value: m.value, limit: m.limit }), tip };
  const d = detail ? (lang === 'zh' ? `（${detail}）` : ` (${detail})`) : '';
  const asNumber = reason === 'blurry' || reason === 'too-dark' || reason === 'too-bright';
  return {
    reason: wt(lang, `reason.${reason}`, { detail: asNumber ? (detail ?? '?') : d, dup: duplicateOf ?? '?' }),
    tip,
  };
}
