import type { BoxSide } from '../../core/index.js';
import { snapBoxInPhoto, type SideSnap } from '../../vision/index.js';
import type { EditorBox } from './save-body.js';

/**
 * The editor's Snap / 贴合: one box tightened to the object's outline in the photo
 * (`vision/image/snap.ts`). Server-side, like the inference route, so the page and the
 * pre-label share one implementation that the `snap` bench measures; only the box's
 * region of the photo is decoded (about 13 ms for a 640×480 JPEG, p50).
 */
export interface EditorSnap {
  box: EditorBox;
  sides: Record<BoxSide, SideSnap>;
  isChanged: boolean;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Snaps `box` in the image at `file` (already checked to lie inside DATA_DIR). */
export async function snapEditorBox(file: string, box: EditorBox): Promise<EditorSnap> {
  const r = await snapBoxInPhoto(file, box);
  return {
    box: { classId: box.classId, x1: r1(r.box.x1), y1: r1(r.box.y1), x2: r1(r.box.x2), y2: r1(r.box.y2) },
    sides: { ...r.sides },
    isChanged: r.isChanged,
  };
}
