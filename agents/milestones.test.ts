import { describe, expect, it } from 'vitest';
import { milestoneText, newMilestones, paceReminder, reachedKeys } from './milestones.js';
import { midExamFacts, T0 } from './test-fixtures/facts.js';

/** Proactive next steps: which milestones are new, what is said, and the pace reminder. */
describe('guide milestones', () => {
  it('finds every kind of milestone reached, and only the ones not said yet', () => {
    const f = midExamFacts();
    expect(reachedKeys(f)).toEqual(['combo:0', 'combo:1', 'combo:2', 'combo:0+1', 'review:4', 'trained:A07-r1']);
    expect(newMilestones(f, ['combo:0', 'combo:1', 'combo:2', 'review:4'])).toEqual(['combo:0+1', 'trained:A07-r1']);
    const done = midExamFacts({
      progress: { ...f.progress, captured: 100, toConfirm: 0, checking: 0 },
      training: { ...f.training, deployed: { id: 'A07-r1', map50: 0.873 } },
    });
    expect(newMilestones(done, reachedKeys(f))).toEqual(['confirmed', 'deployed:A07-r1']);
    // A stale review is no milestone; a new review is a new one.
    expect(reachedKeys(midExamFacts({ review: { id: 5, finished: true, stale: true, sampled: 10 } }))).not.toContain('review:5');
  });

  it('names what was reached, then the one next action with its button', () => {
    const f = midExamFacts();
    const a = milestoneText(['combo:0+1', 'trained:A07-r1'], f, 'en');
    expect(a.keys).toEqual(['combo:0+1', 'trained:A07-r1']);
    expect(a.text).toBe(
      '✅ <b>Pointer gauge (normal) + Pointer gauge (abnormal)</b> is full (20/20); 57/100 photos in all.\n✅ Training A07-r1 finished: mAP50 0.873.\nNext: 5 photos wait for their labels to be confirmed — /label.',
    );
    expect(a.button?.callback).toBe('v1:gx:label');
    expect(milestoneText(['review:4'], f, 'zh').text).toContain('验收审核完成：准确率 0.900');
  });

  it('reminds only a station that is behind at the checkpoint', () => {
    const f = midExamFacts();
    const r = paceReminder(f, 60, 'en');
    expect(r?.text).toBe('⏰ Minute 60 (55 min left): you are behind — capture, labels confirmed, report 1 should be done by now.\nNext: 5 photos wait for their labels to be confirmed — /label.');
    const onPace = midExamFacts({ progress: { ...f.progress, captured: 100 }, now: T0 });
    expect(paceReminder(onPace, 30, 'en')).toBeUndefined();
    expect(paceReminder(midExamFacts({ clock: undefined }), 30, 'en')).toBeUndefined();
  });
});
