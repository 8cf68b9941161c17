import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { describeFinding, encodeCallback, escapeHtml, FINDING_KINDS, t, type ExamClass, type Finding, type Lang } from '../../core/index.js';

/** Findings per page of the `/check` message (one Telegram message stays well under 4096 characters). */
export const CHECK_PAGE_SIZE = 12;

/**
 * The `/check` message: a summary line (counts by kind), one page of findings most
 * serious first, a button per photo on the page that opens it, a 📐 Snap / 贴合 button per
 * photo with a loose box (moves the loose sides in by the amounts listed), ◀ ▶ and 🔄 Refresh.
 */
export function checkMessage(
  findings: readonly Finding[],
  opts: {
    stationNo: string;
    classes: readonly ExamClass[];
    lang: Lang;
    page: number;
    /** A photo's confirmed label version: loose-box findings get a Snap / 贴合 button bound to it. */
    versionOf?: (photoId: number) => number | null;
  },
): { text: string; keyboard: InlineKeyboardMarkup; page: number } {
  const { lang } = opts;
  const title = t(lang, 'check.title', { station: opts.stationNo });
  const refresh = [Markup.button.callback(t(lang, 'btn.refresh'), encodeCallback('ck', 0))];
  if (findings.length === 0) {
    return { text: `${title}\n\n${t(lang, 'check.clean')}`, keyboard: Markup.inlineKeyboard([refresh]).reply_markup, page: 0 };
  }
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const kinds = FINDING_KINDS.filter((k) => counts.has(k))
    .map((k) => `${t(lang, `check.kind.${k}`)} ${counts.get(k)}`)
    .join(lang === 'zh' ? '，' : ', ');
  const fail = findings.filter((f) => f.severity === 'fail').length;
  const summary = t(lang, 'check.summary', { fail, warn: findings.length - fail, kinds });
  const pages = Math.ceil(findings.length / CHECK_PAGE_SIZE);
  const page = Math.min(Math.max(0, opts.page), pages - 1);
  const shown = findings.slice(page * CHECK_PAGE_SIZE, (page + 1) * CHECK_PAGE_SIZE);
  const lines = shown.map((f) => `${f.severity === 'fail' ? '❌' : '⚠️'} ${escapeHtml(describeFinding(f, opts.classes, lang))}`);
  const photoIds = [...new Set(shown.map((f) => f.photoId).filter((id): id is number => id !== null))];
  const photoButtons = photoIds.map((id) => Markup.button.callback(t(lang, 'btn.openPhoto', { id }), encodeCallback('co', id)));
  const rows = chunk(photoButtons, 4);
  const loosePhotos = [...new Set(shown.filter((f) => f.kind === 'loose').map((f) => f.photoId).filter((id): id is number => id !== null))];
  const snapButtons = loosePhotos.flatMap((id) => {
    const version = opts.versionOf?.(id);
    return version ? [Markup.button.callback(t(lang, 'btn.snapFix', { id }), encodeCallback('cs', id, version, page))] : [];
  });
  rows.push(...chunk(snapButtons, 3));
  const nav = [];
  if (page > 0) nav.push(Markup.button.callback(t(lang, 'clean.prev'), encodeCallback('ck', page - 1)));
  nav.push(Markup.button.callback(t(lang, 'btn.refresh'), encodeCallback('ck', page)));
  if (page < pages - 1) nav.push(Markup.button.callback(t(lang, 'clean.next'), encodeCallback('ck', page + 1)));
  const text = [title, summary, '', ...lines, '', t(lang, 'check.page', { page: page + 1, pages })].join('\n');
  return { text, keyboard: Markup.inlineKeyboard([...rows, nav]).reply_markup, page };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
