import { describe, expect, it } from 'vitest';
import { clockTime } from '../core/index.js';
import { callTool, MalformedToolCall, TOOLS } from './tools.js';
import { midExamFacts, T0 } from './test-fixtures/facts.js';

const ctx = { facts: midExamFacts(), lang: 'en' as const };
const run = (name: string, args: unknown = {}) => callTool(name, args, ctx);

/** Each tool of the guide: its zod schema refuses bad arguments, its numbers are the facts'. */
describe('the guide tools', () => {
  it('has a zod schema and a description for every tool, and refuses unknown tools and bad arguments', () => {
    expect(TOOLS.map((t) => t.name).sort()).toEqual(
      ['command_help', 'deliverables_status', 'deploy_model', 'draw_review_sample', 'exam_clock', 'exam_rules', 'explain_metric', 'get_progress', 'next_step', 'start_training', 'training_advice', 'training_status', 'why_rejected'].sort(),
    );
    for (const t of TOOLS) expect(t.description.length).toBeGreaterThan(20);
    expect(() => run('make_coffee')).toThrow(MalformedToolCall);
    expect(() => run('exam_rules', { topic: 'cooking' })).toThrow(/bad arguments for exam_rules: topic/);
    expect(() => run('why_rejected', { photoId: -1 })).toThrow(MalformedToolCall);
    expect(() => run('get_progress', { extra: 1 })).toThrow(MalformedToolCall);
    expect(() => run('start_training', { preset: 'turbo' })).toThrow(MalformedToolCall);
    expect(() => run('deploy_model', { runId: 'x; rm -rf' })).toThrow(MalformedToolCall);
  });

  it('get_progress: plan, labels and clock', () => {
    const d = run('get_progress').data;
    expect(d).toMatchObject({ station: 'A07', captured: 57, planned: 100, waitingConfirmation: 5, confirmed: 49, checking: 2, nextCombo: { remaining: 13 } });
    expect(d.clock).toMatchObject({ minutesLeft: 55, minutesElapsed: 65, endsAt: clockTime(T0 + 55 * 60_000), lastCheckpointMin: 60, nextCheckpointMin: 90, behind: ['capture', 'labels', 'report1'] });
    expect(d.stepsDone).toEqual(['review', 'training-started', 'training-done']);
  });

  it('next_step: the exam order, with its command as the button', () => {
    expect(run('next_step')).toMatchObject({ data: { step: 'label', command: '/label', n: 5 }, button: { callback: 'v1:gx:label' } });
    const f = midExamFacts();
    const done = { ...f, progress: { ...f.progress, toConfirm: 0, checking: 0, captured: 100, report1: true }, plan: { ...f.plan, next: undefined } };
    expect(callTool('next_step', {}, { facts: { ...done, training: { ...done.training, active: undefined } }, lang: 'en' }).data).toMatchObject({ step: 'deploy', run: 'A07-r1' });
  });

  it('why_rejected: counts by reason, and one photo by number', () => {
    expect(run('why_rejected').data).toEqual({ rejected: 3, byReason: { blurry: 2, 'too-dark': 1 } });
    expect(run('why_rejected', { photoId: 23 }).data).toEqual({ photoId: 23, rejected: true, reason: 'too-dark', detail: 'lumaLow|22|40', duplicateOf: null });
    expect(run('why_rejected', { photoId: 99 }).data).toEqual({ photoId: 99, rejected: false });
  });

  it('exam_rules and explain_metric: the digest and the station value', () => {
    expect(run('exam_rules', { topic: 'acceptance' }).data).toMatchObject({ topic: 'acceptance', sampleRatePct: 20, durationMin: 120 });
    expect(run('explain_metric', { metric: 'recall' }).data).toEqual({ metric: 'recall', meaningKey: 'guide.metric.recall', value: 0.846, run: 'A07-r1' });
    expect(run('explain_metric', { metric: 'accuracy' }).data).toMatchObject({ value: 0.9, run: undefined });
  });

  it('training_advice: the balance and the time left pick the preset', () => {
    const d = run('training_advice').data;
    expect(d).toMatchObject({ confirmedPhotos: 49, imbalance: 2.2, minutesLeft: 55, preset: 'balanced', epochs: 80, batch: 16, imgSize: 320, timeBudgetMin: 10 });
    const late = midExamFacts({ clock: { startedAt: T0 - 100 * 60_000, durationMin: 120 } });
    expect(callTool('training_advice', {}, { facts: late, lang: 'en' }).data).toMatchObject({ minutesLeft: 20, preset: 'fast' });
  });

  it('training_status and deliverables_status', () => {
    expect(run('training_status').data).toMatchObject({ active: { id: 'A07-r2', epoch: 14, epochs: 80, map50: 0.611, etaMin: 8 }, completedRuns: 1, best: { id: 'A07-r1', map50: 0.873 }, deployed: undefined });
    expect(run('deliverables_status').data).toMatchObject({ review: { finished: true, accuracy: 0.9, qualified: 27, boxes: 29, missed: 1 }, report1: false, datasetExported: true });
  });

  it('exam_clock and command_help', () => {
    expect(run('exam_clock').data).toMatchObject({ running: true, minutesLeft: 55 });
    expect(callTool('exam_clock', {}, { facts: midExamFacts({ clock: undefined }), lang: 'en' })).toMatchObject({ data: { running: false, durationMin: 120 }, button: { callback: 'v1:gx:timer' } });
    expect(run('command_help', { command: 'review' })).toMatchObject({ data: { command: '/review' }, button: { callback: 'v1:gx:review' } });
  });

  it('acting tools only offer: a confirmation button, nothing done', () => {
    const before = JSON.stringify(ctx.facts);
    expect(run('start_training', { preset: 'accurate' })).toMatchObject({ data: { needsConfirmation: true, preset: 'accurate', epochs: 40 }, button: { label: 'guide.btn.train', callback: 'v1:tp:accurate' } });
    expect(run('deploy_model')).toMatchObject({ data: { needsConfirmation: true, run: 'A07-r1', map50: 0.873 }, button: { callback: 'v1:dp:A07-r1' } });
    expect(run('draw_review_sample')).toMatchObject({ data: { needsConfirmation: true, sampleSize: 10 }, button: { callback: 'v1:rd' } });
    const none = midExamFacts({ training: { completedRuns: 0 } });
    expect(callTool('deploy_model', {}, { facts: none, lang: 'en' })).toEqual({ data: { possible: false, reason: 'no completed run' } });
    expect(JSON.stringify(ctx.facts)).toBe(before);
  });
});
