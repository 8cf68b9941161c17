/**
 * Inputs and findings of the pre-acceptance check (`/check`).
 */
import type { ExamConfig } from '../exam-config.js';
import type { BoxSide } from '../metrics/index.js';
import type { ComboKey } from '../plan.js';
import type { EdgeEvidence } from './evidence.js';

/** A labeled box: class and corners in pixels of the oriented image. */
export interface CheckBox {
  readonly classId: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** A detector box on the same photo; `score` in [0, 1]. */
export interface CheckDetection extends CheckBox {
  readonly score: number;
}

/** One photo of the station as the check sees it. Rejected photos may be passed; they are ignored. */
export interface CheckPhoto {
  readonly id: number;
  readonly combo: ComboKey;
  /** The store's photo status (`received`, `clean`, `prelabeled`, `confirmed`, `reviewed`, `rejected`). */
  readonly status: string;
  /** Pixels of the oriented image; null while not yet inspected (bounds are then not checked). */
  readonly width: number | null;
  readonly height: number | null;
  /** The confirmed boxes, or the latest version while unconfirmed. */
  readonly boxes: readonly CheckBox[];
  /** The detector's boxes for this photo, when a detector ran on it. */
  readonly detections?: readonly CheckDetection[];
  /** Edge evidence per box, index-aligned with `boxes` (vision's `measureBoxEdges`); missing = not measured. */
  readonly edges?: readonly (EdgeEvidence | null | undefined)[];
}

/** Everything the check reads. */
export interface CheckInput {
  readonly exam: Pick<ExamConfig, 'classes' | 'quotas' | 'maxComboSize'>;
  readonly photos: readonly CheckPhoto[];
}

/** `fail`: a judge would mark it unqualified (or the dataset incomplete); `warn`: worth a look. */
export type Severity = 'fail' | 'warn';

/** A side and by how many pixels it is off (positive loose, negative tight), rounded to 0.1 px. */
export interface SideOff {
  readonly side: BoxSide;
  readonly px: number;
}

interface FindingBase {
  readonly severity: Severity;
  /** The photo concerned; null for station-level findings (`short-quota`). */
  readonly photoId: number | null;
  /** Index into the photo's `boxes`, for box-level findings. */
  readonly boxIndex?: number;
}

/** One thing a judge would fail. `detail` carries the numbers the message shows. */
export type Finding = FindingBase &
  (
    | { readonly kind: 'unconfirmed'; readonly detail: { readonly status: string } }
    | {
        readonly kind: 'short-quota';
        readonly detail: { readonly combo: ComboKey; readonly quota: number; readonly captured: number; readonly missing: number };
      }
    | { readonly kind: 'missed-class'; readonly detail: { readonly classId: number } }
    | { readonly kind: 'extra-box'; readonly detail: { readonly classId: number; readonly count: number } }
    | { readonly kind: 'wrong-class'; readonly detail: { readonly classId: number; readonly combo: ComboKey } }
    | {
        readonly kind: 'loose' | 'tight';
        readonly detail: { readonly sides: readonly SideOff[]; readonly isDetectorAgreeing: boolean };
      }
    | { readonly kind: 'degenerate'; readonly detail: { readonly width: number; readonly height: number } }
    | { readonly kind: 'tiny'; readonly detail: { readonly width: number; readonly height: number; readonly minSidePx: number } }
    | {
        readonly kind: 'out-of-image';
        readonly detail: { readonly beyondPx: number; readonly imageWidth: number; readonly imageHeight: number };
      }
    | {
        readonly kind: 'overlap';
        readonly detail: { readonly otherIndex: number; readonly iou: number; readonly isSameClass: boolean };
      }
  );

/** Every finding kind, in the order the list shows them. */
export const FINDING_KINDS = [
  'unconfirmed',
  'short-quota',
  'missed-class',
  'wrong-class',
  'extra-box',
  'overlap',
  'degenerate',
  'out-of-image',
  'tiny',
  'loose',
  'tight',
] as const satisfies readonly Finding['kind'][];
export type FindingKind = (typeof FINDING_KINDS)[number];
