/**
 * 64-bit DCT perceptual hash (the pHash.org construction) and Hamming distance.
 * Near-duplicates (re-encoded, slightly resized or brightened) stay within a few bits;
 * unrelated scenes differ in about half of the 64.
 */
import type { RawImage } from './types.js';

const SIZE = 32;
const BAND = 8;

/** One output cell of a 1-D box filter: source samples `from`…, weighted by `weights`. */
interface Cell {
  readonly from: number;
  readonly weights: Float64Array;
}

/**
 * Box-filters one line of `n` samples down (or up) to `m`, weighting each source
 * sample by how much of it falls in each output cell.
 */
function resampleWeights(n: number, m: number): Cell[] {
  const out: Cell[] = [];
  const step = n / m;
  for (let j = 0; j < m; j++) {
    const lo = j * step;
    const hi = lo + step;
    const from = Math.floor(lo);
    const weights: number[] = [];
    for (let i = from; i < Math.min(n, Math.ceil(hi)); i++) {
      const cover = Math.min(hi, i + 1) - Math.max(lo, i);
      weights.push(cover > 0 ? cover / step : 0);
    }
    out.push({ from, weights: Float64Array.from(weights) });
  }
  return out;
}

/** Area-averages a grey image to `SIZE`×`SIZE` (aspect ratio is not kept, on purpose). */
function toGrid(grey: RawImage): Float64Array {
  const { data, width: w, height: h } = grey;
  const xs = resampleWeights(w, SIZE);
  const ys = resampleWeights(h, SIZE);
  const rows = new Float64Array(h * SIZE);
  for (let y = 0; y < h; y++) {
    const line = y * w;
    for (let j = 0; j < SIZE; j++) {
      const { from, weights } = xs[j]!;
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += data[line + from + k]! * weights[k]!;
      rows[y * SIZE + j] = acc;
    }
  }
  const grid = new Float64Array(SIZE * SIZE);
  for (let i = 0; i < SIZE; i++) {
    const { from, weights } = ys[i]!;
    for (let j = 0; j < SIZE; j++) {
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += rows[(from + k) * SIZE + j]! * weights[k]!;
      grid[i * SIZE + j] = acc;
    }
  }
  return grid;
}

/** cos((2x+1)uπ / 2N) for u in 0..BAND, x in 0..SIZE-1. */
const COS = Array.from({ length: BAND + 1 }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/**
 * Perceptual hash of a 1-channel image of any size: area-average to 32×32, 2-D DCT-II,
 * keep the 8×8 block of lowest frequencies just past DC (u, v in 1..8, as pHash.org
 * does: no DC term, which only carries overall brightness, and 64 informative bits),
 * set each bit when the coefficient exceeds the block's median. Bits are row-major, most significant
 * first; result is 16 lowercase hex chars.
 */
export function perceptualHash(grey: RawImage): string {
  if (grey.channels !== 1) throw new RangeError('perceptualHash needs a 1-channel image');
  const grid = toGrid(grey);
  // Row pass: for each row x-frequency v in 1..8.
  const rowDct = new Float64Array(SIZE * BAND);
  for (let y = 0; y < SIZE; y++) {
    for (let v = 1; v <= BAND; v++) {
      const c = COS[v]!;
      let acc = 0;
      for (let x = 0; x < SIZE; x++) acc += grid[y * SIZE + x]! * c[x]!;
      rowDct[y * BAND + v - 1] = acc;
    }
  }
  const coeffs = new Float64Array(BAND * BAND);
  for (let u = 1; u <= BAND; u++) {
    const c = COS[u]!;
    for (let v = 0; v < BAND; v++) {
      let acc = 0;
      for (let y = 0; y < SIZE; y++) acc += rowDct[y * BAND + v]! * c[y]!;
      coeffs[(u - 1) * BAND + v] = acc;
    }
  }
  const sorted = Float64Array.from(coeffs).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let b = 0; b < 4; b++) value = (value << 1) | (coeffs[nibble * 4 + b]! > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
/** Value of each ASCII hex digit by char code; -1 for anything else. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[0-9a-f]/i.test(ch) ? parseInt(ch, 16) : -1;
});

/**
 * Number of differing bits between two equal-length hex strings (e.g. two phashes).
 * Throws `RangeError` on different lengths or non-hex characters: that is a bug in the
 * caller, not a distance. (Called once per stored photo of the hall for each new one.)
 */
export function hammingHex(a: string, b: string): number {
  if (a.length !== b.length) {
    throw new RangeError(`hammingHex: lengths differ (${a.length} vs ${b.length}); compare hashes of one kind`);
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = HEX_VALUE[a.charCodeAt(i)] ?? -1;
    const y = HEX_VALUE[b.charCodeAt(i)] ?? -1;
    if (x < 0 || y < 0) {
      throw new RangeError(`hammingHex: not a hex string at index ${i}`);
    }
    d += POPCOUNT[x ^ y]!;
  }
  return d;
}
