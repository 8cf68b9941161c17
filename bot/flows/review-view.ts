import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { className, comboLabel, encodeCallback, sampleSize, t, tallyReview, type ExamConfig, type Lang, type ReviewTally } from '../../core/index.js';
import type { Review, ReviewItem, Store } from '../../store/index.js';

/** A review as the chat shows it: rows, photos in sample order, counts, staleness. */
export interface ReviewState {
  review: Review;
  items: ReviewItem[];
  photoIds: number[];
  tally: ReviewTally;
  isStale: boolean;
  labeled: number;
}

export function reviewState(store: Store, review: Review): ReviewState {
  const items = store.reviews.items(review.id);
  return {
    review,
    items,
    photoIds: [...new Set(items.map((i) => i.photoId))],
    tally: tallyReview(items),
    isStale: store.reviews.isStale(review.id),
    labeled: store.labels.listConfirmed(review.stationNo).length,
  };
}

interface View {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

const pct = (x: number): string => (100 * x).toFixed(1);
const btn = (text: string, data: string) => Markup.button.callback(text, data);

/** `asProctor`: the viewer is a proctor reviewing another's station; Draw names the station. */
export interface ViewOptions {
  asProctor?: boolean;
  /** The summary of a review just finished: offer the stage-one report (once). */
  offerReport?: boolean;
}

function drawButton(lang: Lang, stationNo: string, opts: ViewOptions) {
  return btn(t(lang, 'btn.review.draw'), opts.asProctor ? encodeCallback('rds', stationNo) : encodeCallback('rd'));
}

function resultLine(lang: Lang, tally: ReviewTally): string {
  return t(lang, 'review.result', {
    acc: tally.accuracy === null ? '—' : pct(tally.accuracy),
    qualified: tally.qualified,
    boxes: tally.boxes,
    missed: tally.missed,
    loose: tally.loose,
    wrong: tally.wrongLabel,
  });
}

function headLines(lang: Lang, s: ReviewState): string[] {
  const lines = [
    t(lang, 'review.head', { id: s.review.id, seed: s.review.seed, n: s.photoIds.length, total: s.labeled, rate: Math.round(100 * s.review.sampleRate) }),
  ];
  if (s.review.finishedAt !== null) lines.push(resultLine(lang, s.tally));
  else lines.push(t(lang, 'review.progress', { done: s.tally.boxes - s.tally.pending, boxes: s.tally.boxes, missed: s.tally.missed }));
  if (s.isStale) lines.push(t(lang, 'review.stale'));
  return lines;
}

/**
 * `/review`'s overview: the current review (progress or result, stale or not) and past
 * reviews with their accuracy, or, before the first, what the sample will be.
 */
export function overviewView(store: Store, exam: ExamConfig, stationNo: string, lang: Lang, opts: ViewOptions = {}): View {
  const draw = drawButton(lang, stationNo, opts);
  const reviews = store.reviews.list(stationNo);
  const current = reviews[0];
  if (!current) {
    const total = store.labels.listConfirmed(stationNo).length;
    const text = t(lang, 'review.none', { rate: Math.round(100 * exam.sampleRate), n: sampleSize(total, exam.sampleRate), total });
    return { text, keyboard: Markup.inlineKeyboard([[draw]]).reply_markup };
  }
  const s = reviewState(store, current);
  const lines = headLines(lang, s);
  const past = reviews.slice(1, 11).map((r) => {
    const tally = tallyReview(store.reviews.items(r.id));
    const n = new Set(store.reviews.items(r.id).map((i) => i.photoId)).size;
    const result = r.finishedAt !== null ? `${tally.accuracy === null ? '—' : pct(tally.accuracy)}%` : t(lang, 'review.unfinished');
    return t(lang, 'review.pastLine', { id: r.id, date: new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' '), n, result });
  });
  if (past.length > 0) lines.push('', t(lang, 'review.past'), ...past);
  const isOpen = current.finishedAt === null && !s.isStale;
  const row = isOpen ? [btn(t(lang, 'btn.review.continue'), encodeCallback('rv', current.id, 0))] : [draw];
  const rows = [row];
  // The summary a Finish press leaves offers the stage-one report once (its press removes the button).
  if (opts.offerReport && current.finishedAt !== null && !s.isStale) {
    lines.push('', t(lang, 'review.reportOffer'));
    rows.unshift([btn(t(lang, 'btn.review.report1'), encodeCallback('r1', current.id))]);
  }
  return { text: lines.join('\n'), keyboard: Markup.inlineKeyboard(rows).reply_markup };
}

/**
 * One sampled photo of review `s`: its boxes with their verdicts and per-box buttons
 * (qualified / loose / wrong label), ± missed objects, ◀ 🖼 ▶, and Finish once every box
 * has a verdict. A stale review offers a new draw instead; a finished one shows its result.
 */
export function pageView(store: Store, exam: ExamConfig, s: ReviewState, page: number, lang: Lang, opts: ViewOptions = {}): View {
  const r = s.review;
  const i = Math.min(Math.max(0, page), Math.max(0, s.photoIds.length - 1));
  const photoId = s.photoIds[i] ?? 0;
  const photo = store.photos.get(photoId);
  const confirmed = new Map((store.labels.confirmed(photoId) ?? []).map((b) => [b.id, b]));
  const boxRows = s.items.filter((x) => x.photoId === photoId && x.boxId !== null);
  const missed = s.items.find((x) => x.photoId === photoId && x.boxId === null)?.missed ?? 0;
  const lines = [...headLines(lang, s), ''];
  lines.push(t(lang, 'review.photo', { i: i + 1, n: s.photoIds.length, id: photoId, combo: photo ? comboLabel(photo.combo, exam.classes, lang) : '?' }));
  boxRows.forEach((x, k) => {
    const b = x.boxId === null ? undefined : confirmed.get(x.boxId);
    const cls = b ? exam.classes.find((c) => c.id === b.classId) : undefined;
    lines.push(t(lang, 'review.box', { n: k + 1, cls: cls ? className(cls, lang) : '?', verdict: t(lang, `review.v.${x.verdict}`) }));
  });
  if (boxRows.length === 0) lines.push(t(lang, 'review.noBoxes'));
  lines.push(t(lang, 'review.missed', { n: missed }));

  const rows: ReturnType<typeof btn>[][] = [];
  const isOpen = r.finishedAt === null && !s.isStale;
  if (isOpen) {
    boxRows.forEach((x, k) => {
      const boxId = x.boxId ?? 0;
      rows.push([
        btn(t(lang, 'btn.review.q', { n: k + 1 }), encodeCallback('rb', r.id, boxId, 'q', i)),
        btn(t(lang, 'btn.review.l', { n: k + 1 }), encodeCallback('rb', r.id, boxId, 'l', i)),
        btn(t(lang, 'btn.review.w', { n: k + 1 }), encodeCallback('rb', r.id, boxId, 'w', i)),
      ]);
    });
    rows.push([
      btn(t(lang, 'btn.review.missedAdd'), encodeCallback('rm', r.id, photoId, missed + 1, i)),
      btn(t(lang, 'btn.review.missedSub'), encodeCallback('rm', r.id, photoId, Math.max(0, missed - 1), i)),
    ]);
  }
  const nav = [];
  if (i > 0) nav.push(btn(t(lang, 'clean.prev'), encodeCallback('rv', r.id, i - 1)));
  nav.push(btn(t(lang, 'btn.review.photo'), encodeCallback('ri', r.id, photoId)));
  if (i < s.photoIds.length - 1) nav.push(btn(t(lang, 'clean.next'), encodeCallback('rv', r.id, i + 1)));
  rows.push(nav);
  if (isOpen && s.tally.pending === 0) rows.push([btn(t(lang, 'btn.review.finish'), encodeCallback('rf', r.id))]);
  if (s.isStale || r.finishedAt !== null) rows.push([drawButton(lang, r.stationNo, opts)]);
  return { text: lines.join('\n'), keyboard: Markup.inlineKeyboard(rows).reply_markup };
}
