import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validId } from '../test/harness.js';
import { startChatStack, type ChatStack } from '../test/chat-stack.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../vision/synth/index.js';

/**
 * A photo that will wait behind many others gets "about K photos ahead of yours" in the
 * user's language. No ingest worker runs here (WORKER_QUEUES has none for ingest), so the
 * queue holds exactly what the test put there: twelve other stations' first photos.
 */
describe('place in the queue', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), env: { WORKER_QUEUES: 'report' } });
  });
  afterAll(() => stack.close());

  function contestant(stationNo: string, userId: number, lang: 'en' | 'zh') {
    const { env, emu } = stack;
    env.store.stations.create({ stationNo, contestantName: stationNo, idNumber: validId(`1101051990030${String(userId).slice(-4)}`) });
    const u = emu.user(userId, { languageCode: lang });
    env.store.users.upsert({ userId, chatId: userId, lang });
    env.store.users.bindStation(userId, stationNo, 'contestant');
    env.store.users.setActiveCombo(userId, '2');
    return u;
  }

  it('tells each station how many photos are ahead of its own, in zh and en', async () => {
    for (let i = 1; i <= 12; i++) await stack.jobs.enqueue('ingest', { stationNo: `X${String(i).padStart(2, '0')}`, photoId: 9000 + i, chatId: 1, lang: 'en' });
    const en = contestant('Q01', 8301, 'en');
    const zh = contestant('Q02', 8302, 'zh');
    const p = await renderRigPhoto({ seed: 71, classes: DEFAULT_CLASSES, combo: ['digital'], width: 640, height: 480 });
    const q = await renderRigPhoto({ seed: 72, classes: DEFAULT_CLASSES, combo: ['digital'], width: 640, height: 480 });

    await en.sendPhoto(p.jpeg);
    const told = await en.waitFor((m) => (m.text ?? '').includes('ahead of yours'), { timeoutMs: 30_000 });
    const [enPhoto] = stack.env.store.photos.list('Q01');
    expect(told.text).toContain(`Checking photo #${enPhoto?.id}… about 12 photos ahead of yours`);

    await zh.sendPhoto(q.jpeg);
    const toldZh = await zh.waitFor((m) => (m.text ?? '').includes('前面大约还有'), { timeoutMs: 30_000 });
    expect(toldZh.text).toContain('前面大约还有 13 张照片');
  });
});
