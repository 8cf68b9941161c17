import { encodeCallback } from './callback.js';
import type { ExamClass } from './exam-config.js';
import { t, type KeySuffix } from './copy/index.js';
import { escapeHtml, type Lang, type TextParams } from './i18n.js';
import type { PhotoFlag } from './prelabel.js';

/**
 * The chat message of one photo's proposed (or confirmed) boxes: its caption and its
 * buttons, as plain Bot API JSON. One builder for the worker (which sends and
 * re-renders it) and the bot (which edits it after a tap), so both always agree.
 */

export interface ProposalBox {
  classId: number;
  score: number | null;
  flags: readonly string[];
}

export interface ProposalView {
  photoId: number;
  /** The label version the buttons act on; a tap on an older version is stale. */
  version: number;
  state: 'proposed' | 'confirmed' | 'discarded';
  boxes: readonly ProposalBox[];
  photoFlags: readonly PhotoFlag[];
  /** The verdict/progress line shown first (already in the user's language). */
  headline: string;
  /** The photo's combo in words (already in the user's language), for the mismatch question. */
  comboLabel?: string;
  /** The box editor: a signed link (`url`) or a Telegram Mini App (`web_app`). */
  editor?: { kind: 'url' | 'web_app'; url: string };
  /** When set, the per-box buttons are replaced by a class picker for this box (0-based). */
  pickingBox?: number;
  /** No detection has run on the photo yet (no label version): nothing may be said about what the model found. */
  isUndetected?: boolean;
  /**
   * The model's own classes make up another combo of the plan (it never relabels a confident
   * box silently): the caption asks, and a button moves the photo there unless that combo is full.
   */
  mismatch?: { combo: string; label: string; isFull: boolean };
  /** Lines (already in the user's language, HTML) kept at the end of the caption, e.g. "combo full, switched". */
  notes?: readonly string[];
  /**
   * The detector is unsure of this proposal (see {@link unsureOf}): the caption says so plainly and
   * the editor, not Confirm, is the main button.
   */
  unsure?: ProposalUnsure;
}

/** Why a proposal is not offered as a confident one-tap confirm. */
export interface ProposalUnsure {
  /** Combo classes with no box (the editor opens with the first one selected for drawing). */
  missingClassIds: readonly number[];
  /** The best model score among the boxes, when it is below `sureScore`; otherwise undefined. */
  lowScore?: number;
  sureScore: number;
}

/**
 * Whether a model proposal should be offered as unsure: a combo class has no box, or the
 * best model score is below `sureScore`. Only for a proposal still waiting with boxes from a
 * detection (a human box has no score and is the contestant's own word).
 */
export function unsureOf(
  v: Pick<ProposalView, 'state' | 'boxes' | 'photoFlags' | 'isUndetected'>,
  sureScore: number,
): ProposalUnsure | undefined {
  if (v.state !== 'proposed' || v.isUndetected) return undefined;
  const missing = v.photoFlags.find((f) => f.kind === 'missing-class');
  const missingClassIds = missing?.kind === 'missing-class' ? missing.classIds : [];
  const scores = v.boxes.map((b) => b.score).filter((s): s is number => s !== null);
  const top = scores.length ? Math.max(...scores) : undefined;
  const lowScore = top !== undefined && top < sureScore && scores.length === v.boxes.length ? top : undefined;
  if (missingClassIds.length === 0 && lowScore === undefined) return undefined;
  return { missingClassIds, sureScore, ...(lowScore !== undefined ? { lowScore } : {}) };
}

type Button = { text: string; callback_data: string } | { text: string; url: string } | { text: string; web_app: { url: string } };
export type InlineKeyboard = { inline_keyboard: Button[][] };

const tx = (lang: Lang, key: ProposalKey, params: TextParams = {}): string => t(lang, `proposal.${key}`, params);

type ProposalKey = KeySuffix<'proposal.'>;

/** ①..⑳ for box numbers (they match the numbers drawn on the preview). */
export function boxNumber(i: number): string {
  return i < 20 ? String.fromCodePoint(0x2460 + i) : `#${i + 1}`;
}

function name(classes: readonly ExamClass[], id: number, lang: Lang): string {
  const c = classes.find((x) => x.id === id);
  return c ? (lang === 'zh' ? c.zh : c.en) : `#${id}`;
}

export function proposalCaption(v: ProposalView, classes: readonly ExamClass[], lang: Lang): string {
  const lines = [v.headline];
  if (v.state === 'discarded') return [...lines, tx(lang, 'discarded')].join('\n');
  if (v.unsure && v.state === 'proposed') lines.push(...unsureLines(v.unsure, classes, lang, v.boxes.length));
  if (v.boxes.length === 0) lines.push(tx(lang, v.isUndetected ? 'undetected' : 'noBoxes'));
  v.boxes.forEach((b, i) => {
    const flags = b.flags.filter((f): f is 'touches-border' | 'tiny-box' => f === 'touches-border' || f === 'tiny-box').map((f) => tx(lang, `flag.${f}`));
    const score = b.score === null ? '' : ` ${b.score.toFixed(2)}`;
    lines.push(`${boxNumber(i)} ${escapeHtml(name(classes, b.classId, lang))}${score}${flags.length ? ` ⚠ ${flags.join(', ')}` : ''}`);
  });
  for (const f of v.photoFlags) {
    if (f.kind === 'missing-class' && v.unsure && v.state === 'proposed') continue; // said plainly above
    if (f.kind === 'missing-class') lines.push(tx(lang, 'missing', { classes: f.classIds.map((id) => name(classes, id, lang)).join(', ') }));
    else lines.push(tx(lang, 'tooMany', { count: f.count, expected: f.expected }));
  }
  if (v.mismatch && v.state === 'proposed') {
    lines.push(t(lang, 'label.mismatch', { detected: v.mismatch.label, combo: comboText(v, lang) }));
    if (v.mismatch.isFull) lines.push(t(lang, 'label.moveFull', { combo: v.mismatch.label }));
  }
  if (v.state === 'confirmed') lines.push(tx(lang, 'confirmed', { v: v.version }));
  if (v.notes) lines.push(...v.notes);
  return lines.join('\n');
}

export function proposalKeyboard(v: ProposalView, classes: readonly ExamClass[], lang: Lang, comboClassIds: readonly number[]): InlineKeyboard {
  const rows: Button[][] = [];
  const editor: Button[] = v.editor
    ? [v.editor.kind === 'web_app' ? { text: tx(lang, 'edit'), web_app: { url: v.editor.url } } : { text: tx(lang, 'edit'), url: v.editor.url }]
    : [];
  if (v.state === 'discarded') return { inline_keyboard: [] };
  if (v.state === 'confirmed') return { inline_keyboard: editor.length ? [editor] : [] };
  if (v.pickingBox !== undefined) {
    const choices = comboClassIds.length ? comboClassIds : classes.map((c) => c.id);
    for (const id of choices) rows.push([{ text: name(classes, id, lang), callback_data: encodeCallback('pk', v.photoId, v.version, v.pickingBox, id) }]);
    rows.push([{ text: tx(lang, 'back'), callback_data: encodeCallback('pb', v.photoId, v.version) }]);
    return { inline_keyboard: rows };
  }
  const n = v.boxes.length;
  // Unsure: the editor leads (with the missing class selected there), and Confirm is offered as "as is" further down.
  const isUnsure = v.unsure !== undefined && editor.length > 0;
  if (isUnsure) {
    const first = v.unsure?.missingClassIds[0];
    const text = first === undefined ? tx(lang, 'unsureEdit') : tx(lang, 'unsureDraw', { class: name(classes, first, lang) });
    rows.push([{ ...(editor[0] as Button), text }]);
  } else if (n > 0) rows.push([{ text: tx(lang, 'confirm', { n }), callback_data: encodeCallback('pc', v.photoId, v.version) }]);
  v.boxes.slice(0, 8).forEach((_, i) => {
    rows.push([
      { text: tx(lang, 'cls', { i: boxNumber(i) }), callback_data: encodeCallback('pm', v.photoId, v.version, i) },
      { text: tx(lang, 'del', { i: boxNumber(i) }), callback_data: encodeCallback('pd', v.photoId, v.version, i) },
    ]);
  });
  if (v.mismatch && !v.mismatch.isFull) {
    rows.unshift([{ text: t(lang, 'label.mismatchMove', { detected: v.mismatch.label }), callback_data: encodeCallback('pv', v.photoId, v.version, v.mismatch.combo) }]);
  }
  if (isUnsure && n > 0) rows.push([{ text: tx(lang, 'unsureConfirm', { n }), callback_data: encodeCallback('pc', v.photoId, v.version) }]);
  rows.push([...(isUnsure ? [] : editor), { text: tx(lang, 'discard'), callback_data: encodeCallback('px', v.photoId) }]);
  return { inline_keyboard: rows };
}

/** The text shown above the class picker. */
export function pickPrompt(lang: Lang, box: number): string {
  return tx(lang, 'pick', { i: boxNumber(box) });
}

/** Per-box and per-photo flags recomputed from stored boxes (the same rules as `prelabel`). */
export function flagsOf(
  boxes: ReadonlyArray<{ classId: number; x1: number; y1: number; x2: number; y2: number }>,
  comboClassIds: readonly number[],
  size: { width: number; height: number },
): { boxFlags: string[][]; photoFlags: PhotoFlag[] } {
  const area = size.width * size.height;
  const boxFlags = boxes.map((b) => {
    const f: string[] = [];
    if (b.x1 <= 2 || b.y1 <= 2 || b.x2 >= size.width - 2 || b.y2 >= size.height - 2) f.push('touches-border');
    const w = b.x2 - b.x1;
    const h = b.y2 - b.y1;
    if (w < 12 || h < 12 || w * h < 0.002 * area) f.push('tiny-box');
    return f;
  });
  const photoFlags: PhotoFlag[] = [];
  const present = new Set(boxes.map((b) => b.classId));
  const missing = comboClassIds.filter((id) => !present.has(id));
  if (missing.length) photoFlags.push({ kind: 'missing-class', classIds: missing });
  if (boxes.length > comboClassIds.length) photoFlags.push({ kind: 'too-many-boxes', count: boxes.length, expected: comboClassIds.length });
  return { boxFlags, photoFlags };
}

/** The first line of a photo's message: its number, combo progress and the total. */
export function proposalHeadline(lang: Lang, p: { id: number; comboLabel: string; captured: number; quota: number; total: number; planTotal: number }): string {
  return tx(lang, 'headline', { id: p.id, combo: p.comboLabel, captured: p.captured, quota: p.quota, total: p.total, planTotal: p.planTotal });
}

function unsureLines(u: ProposalUnsure, classes: readonly ExamClass[], lang: Lang, boxes: number): string[] {
  const out: string[] = [];
  if (u.missingClassIds.length) {
    const first = u.missingClassIds[0] as number;
    out.push(tx(lang, 'unsureMissing', { classes: u.missingClassIds.map((id) => name(classes, id, lang)).join(', '), first: name(classes, first, lang) }));
  }
  if (u.lowScore !== undefined && boxes > 0) out.push(tx(lang, 'unsureLow', { score: u.lowScore.toFixed(2), limit: u.sureScore.toFixed(2) }));
  return out;
}

function comboText(v: ProposalView, lang: Lang): string {
  return v.comboLabel ?? (lang === 'zh' ? '当前组合' : 'the current combo');
}
