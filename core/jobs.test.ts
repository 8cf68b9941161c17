import { describe, expect, it } from 'vitest';
import { JOBS, jobId, type JobPayload } from './jobs.js';

const preview: JobPayload<'preview'> = { stationNo: 'A01', photoId: 7, chatId: 1, lang: 'zh', mode: 'edit', userId: 1, version: 3 };

describe('job registry', () => {
  it('builds preview ids from domain keys only: the same redraw twice is one job', () => {
    expect(jobId('preview', preview)).toBe('preview-7-v3-edit');
    expect(jobId('preview', { ...preview })).toBe(jobId('preview', preview));
    expect(jobId('preview', { ...preview, version: 4 })).not.toBe(jobId('preview', preview));
  });

  it('a second /label (another message) is another job, the same message is not', () => {
    const send = { ...preview, mode: 'send' as const, requestId: 100 };
    expect(jobId('preview', send)).toBe('preview-7-v3-send-r100');
    expect(jobId('preview', { ...send, requestId: 101 })).not.toBe(jobId('preview', send));
  });

  it('every job name has a queue, a schema and an id rule; payloads are typed by name', () => {
    expect(Object.keys(JOBS).sort()).toEqual(['album-summary', 'check', 'clock-check', 'export', 'guide', 'import', 'ingest', 'milestones', 'predict', 'preview', 'report', 'review-photo', 'train']);
    expect(JOBS.preview.queue).toBe('ingest');
    expect([JOBS.guide.queue, JOBS.milestones.queue, JOBS['clock-check'].queue]).toEqual(['guide', 'guide', 'guide']);
    expect(jobId('clock-check', { stationNo: 'A01', startedAt: 5, minute: 30 })).toBe('clock-A01-5-m30');
    expect(JOBS['album-summary'].queue).toBe('ingest');
    expect(JOBS.import.queue).toBe('export');
    expect(JOBS.train.schema.safeParse(preview).success).toBe(false);
    const train: JobPayload<'train'> = { stationNo: 'A01', runId: 'A01-r1', lang: 'en' };
    // A type check, never called: a train payload is not a preview payload (enqueue is typed by job name).
    // @ts-expect-error the payload must match the job name
    const wrong = () => jobId('preview', train);
    expect(typeof wrong).toBe('function');
    expect(jobId('train', train)).toBe('train-A01-r1');
  });

  it('a repeated /check or Refresh is a new job; the same request is one', () => {
    const check: JobPayload<'check'> = { stationNo: 'A01', chatId: 1, lang: 'en', mode: 'send', page: 0, requestId: 55 };
    expect(JOBS.check.queue).toBe('ingest');
    expect(jobId('check', check)).toBe('check-A01-send-r55');
    expect(jobId('check', { ...check, requestId: 56 })).not.toBe(jobId('check', check));
    expect(jobId('check', { ...check, mode: 'edit', messageId: 9 })).not.toBe(jobId('check', check));
    const pic: JobPayload<'review-photo'> = { stationNo: 'A01', reviewId: 2, photoId: 7, chatId: 1, lang: 'en', requestId: 0 };
    expect(jobId('review-photo', pic)).toBe('review-photo-2-7-r0');
  });

  it('a predict job names its image: a val photo by id, an upload by its Telegram file id; each request is a new job', () => {
    const val: JobPayload<'predict'> = { stationNo: 'A01', runId: 'A01-r1', chatId: 1, lang: 'en', source: 'val', photoId: 7, requestId: 5 };
    expect(JOBS.predict.queue).toBe('ingest');
    expect(JOBS.predict.schema.safeParse(val).success).toBe(true);
    expect(JOBS.predict.schema.safeParse({ ...val, photoId: undefined }).success).toBe(false);
    expect(JOBS.predict.schema.safeParse({ ...val, source: 'upload' }).success).toBe(false);
    expect(JOBS.predict.schema.safeParse({ ...val, source: 'upload', fileId: 'AgAC' }).success).toBe(true);
    expect(jobId('predict', val)).toBe('predict-A01-A01-r1-val-r5');
    expect(jobId('predict', { ...val, requestId: 6 })).not.toBe(jobId('predict', val));
  });
});
