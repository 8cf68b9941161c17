import { join } from 'node:path';
import { capturePlan, cleaningVerdict, type ExamConfig, type Verdict } from '../../core/index.js';
import { hammingHex, type InspectOk } from '../../vision/index.js';
import { moveFileSync, stationPaths, type Photo, type Store } from '../../store/index.js';

/**
 * Decides an inspected photo's verdict and records it, in one write transaction:
 * the duplicate and quota checks see every other photo of the station as committed,
 * so two photos ingested at once can never both take the last place of a combo.
 * A rejected photo's image moves to `rejected/` inside the same transaction. Another
 * station's photo is caught by bytes and, re-encoded, by perceptual hash
 * (`cleaning.otherStationDistance`, measured in `bench/benches/phash.ts`).
 */
export function judgeAndRecord(
  store: Store,
  exam: ExamConfig,
  photo: Photo,
  insp: InspectOk,
  files: { rawPath: string; imagePath: string },
): { verdict: Verdict; applied: boolean; imagePath: string } {
  const quota = capturePlan(exam).find((p) => p.combo === photo.combo)?.quota ?? 0;
  const paths = stationPaths(store.dataDir, photo.stationNo);
  return store.transaction(() => {
    if (store.photos.get(photo.id)?.status !== 'received') {
      return { verdict: { kind: 'accepted' } as Verdict, applied: false, imagePath: files.imagePath };
    }
    const accepted = store.photos
      .listPhashes(photo.stationNo)
      .filter((p) => p.id !== photo.id)
      .map((p) => ({ id: p.id, phash: p.phash, sha256: null as string | null }));
    const same = store.photos.findBySha(photo.stationNo, insp.sha256);
    if (same && same.id !== photo.id) accepted.unshift({ id: same.id, phash: same.phash ?? '', sha256: insp.sha256 });
    const fields = {
      sha256: insp.sha256,
      phash: insp.phash,
      format: insp.format,
      width: insp.width,
      height: insp.height,
      sharpness: insp.quality.sharpness,
      meanLuma: insp.quality.meanLuma,
      darkFraction: insp.quality.darkFraction,
      brightFraction: insp.quality.brightFraction,
      rawPath: files.rawPath,
    };
    const verdict = cleaningVerdict(
      { ...fields, shadowLuma: insp.quality.shadowLuma, highlightLuma: insp.quality.highlightLuma },
      {
        accepted,
        otherStationPhoto:
          store.ingest.findShaElsewhere(photo.stationNo, insp.sha256) ??
          store.ingest.findPhashElsewhere(photo.stationNo, insp.phash, exam.cleaning.otherStationDistance, hammingHex),
        comboCount: store.photos.countByCombo(photo.stationNo).get(photo.combo) ?? 0,
        comboQuota: quota,
        hamming: hammingHex,
      },
      exam.cleaning,
    );
    if (verdict.kind === 'accepted') {
      const r = store.photos.complete(photo.id, { ...fields, imagePath: files.imagePath, status: 'clean' });
      return { verdict, applied: r.kind === 'applied', imagePath: files.imagePath };
    }
    const rejectedPath = join(paths.rejected, `${photo.id}.jpg`);
    moveFileSync(files.imagePath, rejectedPath, { within: paths.root });
    const r = store.photos.complete(photo.id, {
      ...fields,
      imagePath: rejectedPath,
      status: 'rejected',
      rejectReason: verdict.reason,
      rejectDetail: verdict.detail ?? null,
      duplicateOf: verdict.duplicateOf ?? null,
    });
    return { verdict, applied: r.kind === 'applied', imagePath: rejectedPath };
  });
}
