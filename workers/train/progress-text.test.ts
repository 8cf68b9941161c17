import { describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../core/index.js';
import { doneMessage, endedProgressText, foldProgress, initialProgress, progressMessage } from './progress-text.js';

const epoch = (n: number, epochs: number, elapsedS: number, etaS: number): TrainerEvent => ({
  type: 'epoch', epoch: n, epochs, loss: 1.2, lossParts: {}, lr: 0.001, imagesPerS: 10, elapsedS, etaS, valMap50: 0.5,
});
const step = (n: number, s: number, steps: number, elapsedS: number): TrainerEvent => ({ type: 'step', epoch: n, step: s, steps, loss: 1.1, lr: 0.001, elapsedS });

describe('training progress message', () => {
  it('draws step and epoch events against the same plan (no 12/1 · 1200%)', () => {
    let p = initialProgress(40);
    p = foldProgress(p, epoch(11, 40, 110, 221));
    const afterEpoch = progressMessage('A01-r1', p, 'zh', 'cpu').text;
    expect(afterEpoch).toContain('第 11/40 轮');
    p = foldProgress(p, step(12, 5, 10, 115));
    const afterStep = progressMessage('A01-r1', p, 'zh', 'cpu').text;
    expect(afterStep).toContain('第 12/40 轮');
    expect(afterStep).not.toContain('/1 轮');
    const pct = (t: string) => Number(/(\d+)%/.exec(t)?.[1]);
    expect(pct(afterStep)).toBeGreaterThanOrEqual(pct(afterEpoch));
    expect(pct(afterStep)).toBeLessThanOrEqual(100);
    // Time left counts down from the last epoch's estimate.
    expect(afterStep).toContain('剩余约 3 分 36 秒');
  });

  it('a step before the first epoch uses the run’s own epochs and says no time left yet', () => {
    const p = foldProgress(initialProgress(40), step(1, 3, 10, 4));
    const t = progressMessage('A01-r1', p, 'en', 'cpu').text;
    expect(t).toContain('Epoch 1/40');
    expect(t).toContain('about — left');
  });

  it('once the run is over the message shows how it ended, not time left', () => {
    const p = foldProgress(initialProgress(40), epoch(20, 40, 200, 200));
    const t = endedProgressText('A01-r1', p, 'en', 'cpu', 'stopped as you asked; best model kept');
    expect(t).toContain('stopped as you asked');
    expect(t).not.toContain('left');
  });
});

describe('training done message', () => {
  // Issue 11 point 12: the chat showed the server's absolute path of the saved model.
  it('names the saved model relative to the station folder, as the exam asks', () => {
    const ev = { perClass: [], map50: 0.9, map50_95: 0.6, precision: 0.8, recall: 0.7, confusion: [], pr: [] };
    const exam = { classes: [] } as unknown as Parameters<typeof doneMessage>[3];
    const text = doneMessage('T01-r1', 'completed', ev, exam, 'zh', 120, 'T01');
    expect(text).toContain('<code>stations/T01/models/T01-r1.onnx</code>');
    expect(text).not.toMatch(/<code>\//);
  });
});
