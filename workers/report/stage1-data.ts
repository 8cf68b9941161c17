import { basename } from 'node:path';
import {
  capturePlan,
  classPalette,
  comboClassIds,
  planProgress,
  t,
  InvariantError,
  isCopyKey,
  type ExamConfig,
} from '../../core/index.js';
import type { AcceptanceSample, Bilingual, DatasetImportInfo, ComboRow, ReasonCount, ReportBox, ReportClass, ReportPhoto, SampleBoxVerdict, SamplePhoto, Stage1ReportData } from '../../reports/index.js';
import { ACCEPTED_STATUSES, type Review, type Store } from '../../store/index.js';
import { thumbnail } from './thumbs.js';

/** The imports of the judges' standard dataset that added photos to the station (reports say "imported"). */
export function datasetImports(store: Store, stationNo: string): DatasetImportInfo[] {
  return store.dataset
    .imports(stationNo)
    .filter((r) => r.photos > 0)
    .map((r) => ({ fileName: r.fileName, format: r.format, at: new Date(r.createdAt).toISOString(), photos: r.photos, boxes: r.boxes }));
}

/** The exam's classes as the reports name and colour them (the editor's palette). */
export function reportClasses(exam: ExamConfig): ReportClass[] {
  const palette = classPalette(Math.max(0, ...exam.classes.map((c) => c.id + 1)));
  return exam.classes.map((c) => ({ key: c.key, zh: c.zh, en: c.en, color: palette[c.id] ?? '#607d8b' }));
}

/** A cleaning reason's short name in both languages (the names /clean shows). */
function reasonText(reason: string): Bilingual {
  const key = `reasonName.${reason}`;
  return isCopyKey(key) ? { zh: t('zh', key), en: t('en', key) } : { zh: reason, en: reason };
}

function comboText(exam: ExamConfig, combo: string): Bilingual {
  const names = comboClassIds(combo).map((id) => exam.classes.find((c) => c.id === id));
  return { zh: names.map((c) => c?.zh ?? '?').join(' + '), en: names.map((c) => c?.en ?? '?').join(' + ') };
}

function counted(map: ReadonlyMap<string, number>): ReasonCount[] {
  return [...map].filter(([, n]) => n > 0).map(([reason, count]) => ({ reason: reasonText(reason), count }));
}

const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

/** The station's latest review when it is finished: its sample, verdicts and accuracy (pending boxes count as qualified). */
function acceptanceOf(store: Store, review: Review | undefined, labeledPhotos: number, keyOf: (classId: number) => string): { sample: AcceptanceSample; verdicts: Map<number, SampleBoxVerdict>; photoIds: number[] } | null {
  if (!review || review.finishedAt === null) return null;
  const items = store.reviews.items(review.id);
  const verdicts = new Map<number, SampleBoxVerdict>();
  const byPhoto = new Map<number, { name: string; boxes: SamplePhoto['boxes'][number][]; missed: number }>();
  for (const it of items) {
    let p = byPhoto.get(it.photoId);
    if (!p) byPhoto.set(it.photoId, (p = { name: `#${it.photoId}`, boxes: [], missed: 0 }));
    if (it.boxId === null) {
      p.missed = it.missed;
      continue;
    }
    const verdict: SampleBoxVerdict = it.verdict === 'pending' ? 'qualified' : it.verdict;
    verdicts.set(it.boxId, verdict);
    const box = store.labels.confirmed(it.photoId)?.find((b) => b.id === it.boxId);
    p.boxes.push({ classKey: box ? keyOf(box.classId) : '?', verdict });
  }
  const photos = [...byPhoto.values()];
  const boxes = photos.reduce((s, p) => s + p.boxes.length, 0);
  const missed = photos.reduce((s, p) => s + p.missed, 0);
  const qualified = photos.reduce((s, p) => s + p.boxes.filter((b) => b.verdict === 'qualified').length, 0);
  const total = boxes + missed;
  return {
    sample: { seed: String(review.seed), rate: review.sampleRate, labeledPhotos, photos, qualified, total, accuracy: total === 0 ? 0 : qualified / total },
    verdicts,
    photoIds: [...byPhoto.keys()],
  };
}

/**
 * Everything the stage-one report prints, read from the store with the functions the
 * chat uses: the plan from core's `capturePlan`/`planProgress` over
 * `photos.countByCombo` (as /plan), cleaning counts from `photos.summary` (as /clean),
 * labeling statistics from the confirmed labels, the acceptance sample from the latest
 * finished review. The contestant's ID leaves here masked.
 */
export async function stage1Data(store: Store, exam: ExamConfig, stationNo: string, now = Date.now()): Promise<Stage1ReportData> {
  const station = store.stations.get(stationNo);
  if (!station) throw new InvariantError(`station ${stationNo} is not registered; a report job needs a registered station`);
  const classes = reportClasses(exam);
  const keyOf = (classId: number) => exam.classes.find((c) => c.id === classId)?.key ?? String(classId);

  const progress = planProgress(capturePlan(exam), store.photos.countByCombo(stationNo));
  const rejectedPhotos = store.photos.list(stationNo, { status: 'rejected' });
  const combos: ComboRow[] = progress.items.map((item) => {
    const reasons = new Map<string, number>();
    for (const p of rejectedPhotos) if (p.combo === item.combo) reasons.set(p.rejectReason ?? 'corrupt', (reasons.get(p.rejectReason ?? 'corrupt') ?? 0) + 1);
    const rejected = counted(reasons);
    return { label: comboText(exam, item.combo), planned: item.quota, captured: item.captured + rejected.reduce((s, r) => s + r.count, 0), rejected, final: item.captured };
  });

  const summary = store.photos.summary(stationNo);
  const accepted = ACCEPTED_STATUSES.reduce((n, s) => n + summary.byStatus[s], 0);
  const cleaning = { accepted, rejected: counted(new Map(Object.entries(summary.byRejectReason))) };

  const confirmed = store.labels.listConfirmed(stationNo);
  const perClass = new Map(exam.classes.map((c) => [c.key, 0]));
  const perPhoto = new Map<number, number>();
  const boxSizes: { width: number; height: number }[] = [];
  for (const c of confirmed) {
    perPhoto.set(c.boxes.length, (perPhoto.get(c.boxes.length) ?? 0) + 1);
    for (const b of c.boxes) {
      perClass.set(keyOf(b.classId), (perClass.get(keyOf(b.classId)) ?? 0) + 1);
      boxSizes.push({ width: Math.round(b.x2 - b.x1), height: Math.round(b.y2 - b.y1) });
    }
  }
  const labeling = {
    boxesPerClass: [...perClass].map(([classKey, count]) => ({ classKey, count })),
    boxesPerPhoto: [...perPhoto].sort((a, b) => a[0] - b[0]).map(([boxes, photos]) => ({ boxes, photos })),
    boxSizes,
  };

  const review = store.reviews.latest(stationNo);
  const acc = acceptanceOf(store, review, confirmed.length, keyOf);
  const samplePhotos: ReportPhoto[] = [];
  if (acc) {
    for (const id of acc.photoIds) {
      const photo = store.photos.get(id);
      if (!photo?.imagePath) continue;
      const boxes: ReportBox[] = (store.labels.confirmed(id) ?? []).map((b) => {
        const verdict = acc.verdicts.get(b.id);
        return { classKey: keyOf(b.classId), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, ...(verdict ? { verdict } : {}) };
      });
      samplePhotos.push(await thumbnail(photo.imagePath, `#${id} ${basename(photo.imagePath)}`, boxes));
    }
  }

  const all = store.photos.list(stationNo);
  const imports = datasetImports(store, stationNo);
  return {
    station: stationNo,
    contestantName: station.contestantName,
    maskedId: station.idMasked,
    datasetName: stationNo,
    taskName: exam.taskName,
    times: {
      registered: new Date(station.createdAt).toISOString(),
      firstPhoto: iso(all[0]?.createdAt),
      lastPhoto: iso(all[all.length - 1]?.createdAt),
      reviewed: acc ? iso(review?.finishedAt) : null,
      generated: new Date(now).toISOString(),
    },
    classes,
    combos,
    cleaning,
    labeling,
    acceptance: acc?.sample ?? null,
    samplePhotos,
    savedPath: `stations/${stationNo}/exports/${stationNo}.zip`,
    imported: imports.length > 0,
    imports,
  };
}
