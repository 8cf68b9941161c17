import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectorModelError } from './contract.js';
import { loadDetector, type Detector } from './detector.js';
import { FIXTURE_BAD_NAMES, FIXTURE_MODEL, rgbImage, solidImage } from './test-fixtures.js';
import { loadThreadDetector } from './thread-detector.js';

/** The web process's detector: the same answers as the in-thread one, with the session in a worker thread. */
describe('loadThreadDetector', () => {
  let inThread: Detector;
  let threaded: Detector;
  beforeAll(async () => {
    inThread = await loadDetector(FIXTURE_MODEL);
    threaded = await loadThreadDetector(FIXTURE_MODEL);
  });
  afterAll(async () => {
    await inThread.close();
    await threaded.close();
  });

  it('gives exactly the detections of the in-thread detector, for several calls at once', async () => {
    const images = [solidImage(640, 480), rgbImage(320, 240, (x, y) => [x % 256, y % 256, (x + y) % 256]), solidImage(1280, 720, [60, 90, 30])];
    const want = await Promise.all(images.map((im) => inThread.detect(im)));
    const got = await Promise.all(images.map((im) => threaded.detect(im)));
    expect(got).toEqual(want);
    expect(got[0]?.length).toBeGreaterThan(0);
    const opts = { scoreThreshold: 0.65, sourceSize: { width: 2560, height: 1920 } };
    expect(await threaded.detect(images[0]!, opts)).toEqual(await inThread.detect(images[0]!, opts));
  });

  it('refuses a model that breaks the contract, and a closed detector', async () => {
    await expect(loadThreadDetector(FIXTURE_BAD_NAMES)).rejects.toBeInstanceOf(DetectorModelError);
    const d = await loadThreadDetector(FIXTURE_MODEL);
    await d.close();
    await expect(d.detect(solidImage(64, 64))).rejects.toThrow(/closed/);
  });
});
