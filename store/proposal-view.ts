import {
  capturePlan,
  comboClassIds,
  comboLabel,
  flagsOf,
  planProgress,
  proposalDisagreement,
  proposalHeadline,
  type ExamConfig,
  type Lang,
  t,
  unsureOf,
  type ProposalView,
} from '../core/index.js';
import type { Store } from './open-store.js';
import { ACCEPTED_STATUSES, type Photo } from './types.js';

/**
 * What a photo's chat message shows right now, from the database: the latest label
 * version (the confirmed one once confirmed), its boxes with flags, and the progress
 * headline. The bot and the workers both render the message from this.
 */
export function proposalView(
  store: Store,
  exam: ExamConfig,
  photo: Photo,
  lang: Lang,
  editor?: ProposalView['editor'],
): ProposalView {
  const latest = store.labels.latest(photo.id);
  const boxes = latest?.boxes ?? [];
  const combo = comboClassIds(photo.combo);
  const { boxFlags, photoFlags } = flagsOf(boxes, combo, { width: photo.width ?? 1, height: photo.height ?? 1 });
  const progress = planProgress(capturePlan(exam), store.photos.countByCombo(photo.stationNo));
  const item = progress.items.find((i) => i.combo === photo.combo);
  // The photo's own place within its combo (issue 11 point 7), not the combo's count now: an
  // older photo opened by /label reads "3/10", not today's "9/10".
  const place = placeInCombo(store, photo);
  const state = photo.status === 'rejected' ? 'discarded' : photo.labelVersion !== null && photo.labelVersion === latest?.version ? 'confirmed' : 'proposed';
  const shown = {
    state,
    boxes: boxes.map((b, i) => ({ classId: b.classId, score: b.source === 'model' ? b.score : null, flags: boxFlags[i] ?? [] })),
    // Without a detection there is nothing "missed" yet: flags would claim a result that does not exist.
    photoFlags: latest ? photoFlags : [],
    ...(latest ? {} : { isUndetected: true }),
  } satisfies Partial<ProposalView>;
  const unsure = unsureOf(shown, exam.labeling.sureScore);
  return {
    photoId: photo.id,
    version: latest?.version ?? 0,
    ...shown,
    ...(unsure ? { unsure } : {}),
    comboLabel: comboLabel(photo.combo, exam.classes, lang),
    headline: proposalHeadline(lang, {
      id: photo.id,
      comboLabel: comboLabel(photo.combo, exam.classes, lang),
      captured: place ?? item?.captured ?? 0,
      quota: item?.quota ?? 0,
      total: progress.captured,
      planTotal: progress.total,
    }),
    ...(editor ? { editor } : {}),
    ...mismatchOf(store, exam, photo, state, boxes, lang),
    // The photo that completed its combo keeps "combo full, switched to …" through every
    // redraw (a Confirm or class change re-renders the caption from this view).
    ...(item && place === item.quota && state !== 'discarded'
      ? {
          notes: [
            t(lang, 'ingest.comboFull', { combo: comboLabel(item.combo, exam.classes, lang), quota: item.quota }),
            progress.next
              ? t(lang, 'ingest.next', { combo: comboLabel(progress.next.combo, exam.classes, lang), remaining: progress.next.remaining })
              : t(lang, 'ingest.allDone', { total: progress.total }),
          ],
        }
      : {}),
  };
}

/** 1-based rank of an accepted photo among its combo's accepted photos (oldest first); undefined when not accepted. */
function placeInCombo(store: Store, photo: Photo): number | undefined {
  const same = store.photos.list(photo.stationNo, { status: ACCEPTED_STATUSES }).filter((p) => p.combo === photo.combo);
  const i = same.findIndex((p) => p.id === photo.id);
  return i < 0 ? undefined : i + 1;
}

/** The combo the model's proposal shows when it disagrees with the photo's (issue 11 point 6), and whether it has room. */
function mismatchOf(store: Store, exam: ExamConfig, photo: Photo, state: ProposalView['state'], boxes: ReadonlyArray<{ classId: number; source: string }>, lang: Lang): Pick<ProposalView, 'mismatch'> {
  if (state !== 'proposed') return {};
  const combo = proposalDisagreement(boxes, photo.combo);
  const item = combo === undefined ? undefined : capturePlan(exam).find((i) => i.combo === combo);
  if (!item) return {};
  const isFull = (store.photos.countByCombo(photo.stationNo).get(item.combo) ?? 0) >= item.quota;
  return { mismatch: { combo: item.combo, label: comboLabel(item.combo, exam.classes, lang), isFull } };
}
