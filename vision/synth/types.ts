/**
 * Public types of the synthetic rig generator and the default exam classes.
 */

/**
 * How a class is drawn. The two gauge kinds are the same meter and differ only in
 * where the needle points (green/normal zone versus red zone), so a detector has to
 * learn the needle position — the exam's "meter and its state".
 */
export type SynthKind = 'gauge-normal' | 'gauge-abnormal' | 'digital' | 'light-on' | 'light-off';

/** Every kind, in a stable order. */
export const SYNTH_KINDS: readonly SynthKind[] = ['gauge-normal', 'gauge-abnormal', 'digital', 'light-on', 'light-off'];

/** A detector class as the exam config names it, plus how to render it. */
export interface SynthClass {
  /** Class id used in labels (YOLO, manifest); unique. */
  id: number;
  /** Stable key, e.g. `gauge_normal`; combos refer to classes by key. */
  key: string;
  kind: SynthKind;
}

/**
 * A ground-truth box in pixels of the output image: the tight axis-aligned rectangle
 * enclosing the rendered meter body (bezel included, shadow and lamp glow excluded).
 * Coordinates are floats; x2/y2 are the far edges.
 */
export interface SynthBox {
  classId: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** One rendered photo and its labels. */
export interface SynthPhoto {
  /** Baseline JPEG bytes. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** One box per class of the combo, in combo order. */
  boxes: SynthBox[];
}

/** The default exam's three classes. */
export const DEFAULT_CLASSES: readonly SynthClass[] = [
  { id: 0, key: 'gauge_normal', kind: 'gauge-normal' },
  { id: 1, key: 'gauge_abnormal', kind: 'gauge-abnormal' },
  { id: 2, key: 'digital', kind: 'digital' },
];
