/**
 * Camera and lighting effects applied to the rasterised scene: brightness, contrast,
 * colour cast, vignetting and sensor noise (in place, on raw RGB), plus the blur sigma.
 * Pure pixel arithmetic; sharp applies the blur and encodes.
 */
import type { Rng } from './rng.js';

/** Effect strengths for one photo. */
export interface PhotoEffects {
  /** Added to every channel after contrast, in 0..255 units. */
  brightness: number;
  /** Multiplies the distance from mid-grey. */
  contrast: number;
  /** Per-channel gain (R, G, B): white balance / colour cast. */
  cast: readonly [number, number, number];
  /** Darkening away from the light's centre, 0 (none) .. ~0.6. */
  vignette: number;
  /** Centre of the vignette as a fraction of width and height (off-centre lamp or flash). */
  centre: readonly [number, number];
  /** Linear light falloff across the frame: gain change per half-diagonal along x and y. */
  falloff: readonly [number, number];
  /** Noise amplitude (standard deviation, 0..255 units). */
  noise: number;
  /** Gaussian blur sigma in pixels; below 0.3 means no blur. */
  blur: number;
}

/** Draws effect strengths; `difficulty` 0..1 widens every range. */
export function drawEffects(rng: Rng, difficulty: number): PhotoEffects {
  const d = difficulty;
  const warm = rng.range(-1, 1) * (0.03 + 0.1 * d);
  const tint = rng.range(-1, 1) * (0.02 + 0.05 * d);
  return {
    brightness: rng.range(-1, 1) * (8 + 40 * d),
    contrast: 1 + rng.range(-1, 0.6) * (0.08 + 0.3 * d),
    cast: [1 + warm, 1 + tint, 1 - warm],
    vignette: rng.range(0, 0.1 + 0.45 * d),
    centre: [rng.range(0.3, 0.7), rng.range(0.3, 0.7)],
    falloff: [rng.range(-1, 1) * (0.04 + 0.16 * d), rng.range(-1, 1) * (0.04 + 0.16 * d)],
    noise: rng.range(0.5, 1.5 + 6 * d),
    blur: rng.chance(0.3 + 0.5 * d) ? rng.range(0.3, 0.5 + 1.1 * d) : 0,
  };
}

/**
 * Applies lighting, vignette and noise to an interleaved raw image in place.
 * Noise comes from `rng`, so the result is deterministic for a given generator state.
 */
export function applyEffects(data: Uint8Array, width: number, height: number, channels: number, fx: PhotoEffects, rng: Rng): void {
  const cx = (width - 1) * fx.centre[0];
  const cy = (height - 1) * fx.centre[1];
  const halfDiag = Math.hypot(width, height) / 2;
  const inv = 1 / (halfDiag * halfDiag);
  const fx0 = fx.falloff[0] / halfDiag;
  const fy0 = fx.falloff[1] / halfDiag;
  const [g0, g1, g2] = fx.cast.map((c) => fx.contrast * c) as [number, number, number];
  const [o0, o1, o2] = fx.cast.map((c) => (128 * (1 - fx.contrast) + fx.brightness) * c) as [number, number, number];
  // Uniform noise in [-a, a] has standard deviation a/√3; one xorshift word per pixel
  // feeds the luma grain (12 bits) and a weaker chroma noise on R and B (10 bits each).
  const grainScale = (fx.noise * Math.sqrt(3) * 2) / 4096;
  const grainOff = fx.noise * Math.sqrt(3);
  const chromaScale = (fx.noise * Math.sqrt(3)) / 1024;
  const chromaOff = (fx.noise * Math.sqrt(3)) / 2;
  let state = (Math.floor(rng.next() * 4294967296) | 1) >>> 0;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    const dy2 = dy * dy;
    const rowLight = 1 + fy0 * dy;
    let i = y * width * channels;
    for (let x = 0; x < width; x++, i += channels) {
      const dx = x - cx;
      const v = (1 - fx.vignette * (dx * dx + dy2) * inv) * (rowLight + fx0 * dx);
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const grain = (state & 4095) * grainScale - grainOff;
      const nr = ((state >>> 12) & 1023) * chromaScale - chromaOff;
      const nb = ((state >>> 22) & 1023) * chromaScale - chromaOff;
      data[i] = clampByte(((data[i] ?? 0) * g0 + o0) * v + grain + nr);
      data[i + 1] = clampByte(((data[i + 1] ?? 0) * g1 + o1) * v + grain);
      data[i + 2] = clampByte(((data[i + 2] ?? 0) * g2 + o2) * v + grain + nb);
    }
  }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
}
