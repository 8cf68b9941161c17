import sharp from 'sharp';
import { className, proposalCaption, proposalKeyboard, comboClassIds, editorButton, type Lang } from '../../core/index.js';
import { ensureLinkSecret, proposalView, type Photo } from '../../store/index.js';
import { classPalette, renderPreview, type RawImage } from '../../vision/index.js';
import type { WorkerDeps } from '../processors.js';

/** Decodes a stored photo to the display copy the preview and detector use (long side ≤ 1280). */
export async function displayOf(path: string): Promise<RawImage> {
  const { data, info } = await sharp(path).resize(1280, 1280, { fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * The photo message: preview JPEG with numbered, colour-per-class boxes and a legend,
 * plus caption and buttons from the shared builder (core/proposal-message).
 */
export async function photoMessage(deps: WorkerDeps, photo: Photo, lang: Lang, userId: number, display?: RawImage) {
  const secret = ensureLinkSecret(deps.store.dataDir, deps.config.LINK_SECRET);
  const editor = editorButton(deps.config, secret, { stationNo: photo.stationNo, photoId: photo.id, userId });
  const view = proposalView(deps.store, deps.exam, photo, lang, editor);
  const palette = classPalette(deps.exam.classes.length);
  const boxes = (deps.store.labels.latest(photo.id)?.boxes ?? []).map((b, i) => ({
    x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, label: String(i + 1), color: palette[b.classId] ?? '#ff0',
  }));
  const legend = deps.exam.classes.map((c) => ({ color: palette[c.id] ?? '#ff0', text: className(c, lang) }));
  const image = display ?? (photo.imagePath ? await displayOf(photo.imagePath) : undefined);
  const jpeg = image ? await renderPreview(image, boxes, { legend, sourceSize: { width: photo.width ?? image.width, height: photo.height ?? image.height } }) : undefined;
  return {
    jpeg,
    caption: proposalCaption(view, deps.exam.classes, lang),
    keyboard: proposalKeyboard(view, deps.exam.classes, lang, comboClassIds(photo.combo)),
  };
}
