import { describe, expect, it } from 'vitest';
import { stage2Conclusion } from './conclusion.js';
import type { Stage2ReportData } from './types.js';

const classes = [
  { key: 'a', zh: '甲', en: 'Alpha', color: '#000000' },
  { key: 'b', zh: '乙', en: 'Beta', color: '#111111' },
];

function input(over: Partial<Stage2ReportData> = {}): Parameters<typeof stage2Conclusion>[0] {
  return {
    dataset: { name: 'A07', imported: false, imports: [], classes, photos: 100, boxes: 150, train: 80, val: 20 },
    metrics: {
      map50: 0.953,
      map5095: 0.7,
      perClass: [
        { classKey: 'a', ap50: 0.99, ap5095: 0.8, precision: 0.95, recall: 0.97 },
        { classKey: 'b', ap50: 0.91, ap5095: 0.6, precision: 0.9, recall: 0.85 },
      ],
    },
    epochs: [
      { epoch: 1, loss: 2, valMap50: 0.5 },
      { epoch: 2, loss: 1, valMap50: 0.9 },
      { epoch: 3, loss: 0.5, valMap50: 0.95 },
    ],
    confusion: { classKeys: ['a', 'b'], matrix: [[10, 0, 0], [3, 9, 1], [1, 0, 0]] },
    service: { url: 'http://x', apiExample: 'curl', p50Ms: 38.2, p95Ms: 61.4 },
    ...over,
  };
}

describe('stage2Conclusion', () => {
  it('grades the overall mAP, names the weakest class, the convergence, the top confusion and the service', () => {
    const s = stage2Conclusion(input());
    expect(s.map((x) => x.en)).toEqual([
      'Validation mAP@0.5 is 0.953 and mAP@0.5:0.95 0.700: excellent, fit to deploy.',
      'The weakest class is "Beta" (AP@0.5 0.910, recall 85.0%).',
      'Training loss fell from 2.000 to 0.500; mAP@0.5 peaked at 0.950 in epoch 3: training converged.',
      'The most frequent confusion is "Beta" predicted as "Alpha" (3 times).',
      'The model is deployed as an invocation service; measured latency p50 38 ms, p95 61 ms.',
    ]);
    expect(s[1]?.zh).toBe('最弱类别为「乙」（AP@0.5 0.910，召回率 85.0%）。');
  });

  it('calls a peak followed by a drop overfitting, a low mAP low, no confusion none, and no service not deployed', () => {
    const s = stage2Conclusion(
      input({
        metrics: { map50: 0.55, map5095: 0.3, perClass: [] },
        epochs: [
          { epoch: 1, loss: 2, valMap50: 0.6 },
          { epoch: 2, loss: 1, valMap50: null },
          { epoch: 3, loss: 0.5, valMap50: 0.5 },
        ],
        confusion: { classKeys: ['a', 'b'], matrix: [[10, 0, 0], [0, 9, 1], [1, 0, 0]] },
        service: null,
      }),
    ).map((x) => x.en);
    expect(s[0]).toContain('low: add data or train longer');
    expect(s[1]).toBe('mAP@0.5 peaked at 0.600 in epoch 1 and fell by 0.100 afterwards, a sign of overfitting; the best epoch\'s model is kept.');
    expect(s[2]).toBe('No class was confused with another on the validation set.');
    expect(s[3]).toBe('The model is not yet deployed as an invocation service.');
  });

  it('rates 0.7 ≤ mAP < 0.9 as good', () => {
    expect(stage2Conclusion(input({ metrics: { map50: 0.8, map5095: 0.5, perClass: [] } }))[0]?.zh).toContain('良好');
  });
});
