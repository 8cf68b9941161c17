/**
 * Cleaning's false rejections (issue 14 point 6): every photo of a set is a usable photo, so
 * each exposure, sharpness or duplicate refusal is a false one (size is left out: the real
 * set's 416 px stays refused on purpose). Measured with today's verdict and with the rule it
 * replaced (whole-frame mean and clipped shares, whole-frame Laplacian variance ≥ 60), and the
 * other way round on truly bad copies (over- and underexposed, blurred) that must stay refused.
 */
import sharp from 'sharp';
import { cleaningVerdict, type ExamConfig, type RejectReason } from '../../core/index.js';
import { hammingHex, inspectImage, type InspectOk } from '../../vision/index.js';
import { metric, type Metric } from '../metric.js';

const LIMITS = { maxInputPixels: 50e6, maxBytes: 30 * 1024 * 1024 };

/** The verdict before issue 14 (exam.yaml of then: 45 / 215 / 0.4 / 60), on the figures it used. */
function legacyReason(insp: InspectOk, wholeFrameSharpness: number): RejectReason | undefined {
  const q = insp.quality;
  if (q.meanLuma < 45 || q.darkFraction > 0.4) return 'too-dark';
  if (q.meanLuma > 215 || q.brightFraction > 0.4) return 'too-bright';
  if (wholeFrameSharpness < 60) return 'blurry';
  return undefined;
}

/** Variance of the 4-neighbour Laplacian over the whole grey copy (the sharpness measure before issue 14). */
async function wholeFrameSharpness(insp: InspectOk): Promise<number> {
  const { data, info } = await sharp(insp.display.data, { raw: { width: insp.display.width, height: insp.display.height, channels: 3 } })
    .resize({ width: 512, height: 512, fit: 'inside' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < info.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const lap = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      sum += lap;
      sq += lap * lap;
      n++;
    }
  }
  return n ? sq / n - (sum / n) ** 2 : 0;
}

interface Judged {
  before: RejectReason | undefined;
  after: RejectReason | undefined;
}

/** Judges a set as one station in order (duplicates against the photos accepted before), size left out. */
async function judgeSet(jpegs: readonly Buffer[], exam: ExamConfig): Promise<Judged[]> {
  const cfg = exam.cleaning;
  const accepted: Array<{ id: number; sha256: string; phash: string }> = [];
  const out: Judged[] = [];
  for (const [i, jpeg] of jpegs.entries()) {
    const insp = await inspectImage(jpeg, LIMITS);
    if (insp.kind !== 'ok') throw new Error(`photo ${i} could not be inspected: ${insp.reason}`);
    const v = cleaningVerdict(
      { ...insp.quality, width: Math.max(insp.width, cfg.minWidth), height: Math.max(insp.height, cfg.minHeight), sha256: insp.sha256, phash: insp.phash },
      { accepted, comboCount: 0, comboQuota: Number.MAX_SAFE_INTEGER, hamming: hammingHex },
      cfg,
    );
    const after = v.kind === 'rejected' ? v.reason : undefined;
    if (!after) accepted.push({ id: i, sha256: insp.sha256, phash: insp.phash });
    out.push({ before: legacyReason(insp, await wholeFrameSharpness(insp)), after });
  }
  return out;
}

const share = (xs: readonly Judged[], at: 'before' | 'after', reasons: readonly RejectReason[]): number =>
  xs.length ? xs.filter((x) => x[at] !== undefined && reasons.includes(x[at])).length / xs.length : 0;

const EXPOSURE: RejectReason[] = ['too-dark', 'too-bright'];

/**
 * False-reject rates of `good` (usable photos) before and after, and the share of truly bad
 * copies still refused, as metrics prefixed with `label`.
 */
export async function cleaningMetrics(label: string, good: readonly Buffer[], exam: ExamConfig): Promise<Metric[]> {
  const ok = await judgeSet(good, exam);
  const out: Metric[] = [
    metric(`${label}: false rejects, any reason, before (${good.length} photos)`, 100 * share(ok, 'before', [...EXPOSURE, 'blurry']), '%'),
    metric(`${label}: false rejects, any reason, after`, 100 * share(ok, 'after', [...EXPOSURE, 'blurry', 'near-duplicate', 'exact-duplicate']), '%'),
    metric(`${label}: false rejects, exposure, before`, 100 * share(ok, 'before', EXPOSURE), '%'),
    metric(`${label}: false rejects, exposure, after`, 100 * share(ok, 'after', EXPOSURE), '%'),
    metric(`${label}: false rejects, blurry, before`, 100 * share(ok, 'before', ['blurry']), '%'),
    metric(`${label}: false rejects, blurry, after`, 100 * share(ok, 'after', ['blurry']), '%'),
    metric(`${label}: false rejects, near duplicate (distance ≤ ${exam.cleaning.nearDuplicateDistance})`, 100 * share(ok, 'after', ['near-duplicate', 'exact-duplicate']), '%'),
  ];
  // Truly bad copies: each judged alone (a copy is a near duplicate of its original by design).
  const bad: Array<[string, (b: Buffer) => Promise<Buffer>]> = [
    ['overexposed (gain 3, +60)', (b) => sharp(b).linear(3, 60).jpeg().toBuffer()],
    ['underexposed (gain 0.08)', (b) => sharp(b).linear(0.08, 0).jpeg().toBuffer()],
    ['blurred (σ 4 at 512 px)', async (b) => {
      const m = await sharp(b).metadata();
      return sharp(b).blur((4 * Math.max(m.width ?? 512, m.height ?? 512)) / 512).jpeg().toBuffer();
    }],
  ];
  for (const [name, make] of bad) {
    const judged: Judged[] = [];
    for (const g of good) judged.push(...(await judgeSet([await make(g)], exam)));
    out.push(metric(`${label}: ${name} copies refused, before`, (100 * judged.filter((j) => j.before !== undefined).length) / judged.length, '%'));
    out.push(metric(`${label}: ${name} copies refused, after`, (100 * judged.filter((j) => j.after !== undefined).length) / judged.length, '%'));
  }
  return out;
}
