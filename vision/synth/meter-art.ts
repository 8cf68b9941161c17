/**
 * The shape every meter painter returns: SVG in the meter's own frame (centred on
 * the origin, roughly 200 units across) plus the exact hull used for its box.
 */
import type { Disc } from './geometry.js';

/** A painted meter, before it is placed in the scene. */
export interface MeterArt {
  /** Gradient definitions; ids are prefixed with the meter's id so several meters can share a scene. */
  defs: string;
  /** The meter itself: everything inside the hull. */
  body: string;
  /** Path `d` of the body's silhouette, used for the drop shadow. */
  outline: string;
  /** Discs whose convex hull is the body incl. bezel; the label box is the hull's bounds. */
  hull: Disc[];
  /** Light spilled around the body (lit lamps); drawn beneath it and outside the box. */
  glow?: string;
}
