import type { Update } from 'telegraf/types';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue } from '../queue/index.js';
import { memoryLogger, TEST_TOKEN, testEnv, testPrefix, validId } from '../test/harness.js';
import { testQueues } from '../test/queues.js';
import { createBot } from './app.js';
import { recordBot } from './recorded-bot.js';
import { updateIdentity } from './update-identity.js';

/**
 * Issue 16 point 4: a bot killed between claiming a press or a photo and finishing its handler
 * must not lose it. Telegram (or the emulator) delivers it again to the next process, which
 * takes over the unfinished claim; an update whose handler finished is never handled twice,
 * and text (answered in the conversation's state) at most once.
 */
describe('update claims across a crash', () => {
  const prefix = testPrefix();
  const env = testEnv({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
  const jobs = createJobQueue({ redisUrl: inject('redisUrl'), prefix });
  const queues = testQueues(inject('redisUrl'), prefix);
  afterAll(async () => {
    await jobs.close();
    await queues.obliterate();
    env.cleanup();
  });

  const help = (updateId: number, messageId: number): Update => ({
    update_id: updateId,
    message: {
      message_id: messageId,
      date: 1_700_000_000,
      chat: { id: 8701, type: 'private', first_name: 'C' },
      from: { id: 8701, is_bot: false, first_name: 'C', language_code: 'en' },
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    },
  });

  const press = (updateId: number, queryId: string): Update => ({
    update_id: updateId,
    callback_query: {
      id: queryId,
      chat_instance: '1',
      data: 'v1:st',
      from: { id: 8701, is_bot: false, first_name: 'C', language_code: 'en' },
      message: { message_id: 90, date: 1_700_000_000, chat: { id: 8701, type: 'private', first_name: 'C' }, text: 'menu' },
    },
  } as Update);

  it('handles a redelivered press that a crashed process claimed but never finished, once; text at most once', async () => {
    const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now }));
    // Handled and finished: a redelivery is skipped.
    await rec.bot.handleUpdate(press(1, 'q1'));
    const n = rec.told().length;
    expect(n).toBeGreaterThan(0);
    await rec.bot.handleUpdate(press(1, 'q1'));
    expect(rec.told()).toHaveLength(n);
    // Claimed by a process that died before its handler finished: this one handles it, once.
    const orphan = press(2, 'q2');
    expect(env.store.updates.markSeen(2, updateIdentity(orphan), 'a-process-killed-mid-handler')).toBe(true);
    await rec.bot.handleUpdate(orphan);
    expect(rec.told()).toHaveLength(n + 1);
    await rec.bot.handleUpdate(orphan);
    expect(rec.told()).toHaveLength(n + 1);
    // Text is answered in the conversation's state: one a dead process claimed is not handled again.
    const text = help(3, 12);
    expect(env.store.updates.markSeen(3, updateIdentity(text), '')).toBe(true);
    await rec.bot.handleUpdate(text);
    expect(rec.told()).toHaveLength(n + 1);
    await rec.bot.handleUpdate(help(4, 13));
    expect(rec.told()).toHaveLength(n + 2);
    // The dead process had answered the press already (Telegram takes one answer): no "Sorry" for that.
    const answered = press(5, 'q1');
    env.store.updates.markSeen(5, updateIdentity(answered), 'a-process-killed-after-answering');
    await rec.bot.handleUpdate(answered);
    expect(rec.told().join('\n')).not.toMatch(/went wrong/);
  });

  it('a photo whose row was saved before the crash: its job is made sure of, and no "already sent" answer', async () => {
    env.store.stations.create({ stationNo: 'CT1', contestantName: 'C', idNumber: validId('11010519900307888') });
    env.store.users.upsert({ userId: 8702, chatId: 8702, lang: 'en' });
    env.store.users.bindStation(8702, 'CT1', 'contestant');
    const rec = recordBot(createBot(TEST_TOKEN, { config: env.config, exam: env.exam, store: env.store, jobs, log: memoryLogger().log, now: Date.now }));
    const photo: Update = {
      update_id: 3,
      message: {
        message_id: 20,
        date: 1_700_000_000,
        chat: { id: 8702, type: 'private', first_name: 'C' },
        from: { id: 8702, is_bot: false, first_name: 'C', language_code: 'en' },
        photo: [{ file_id: 'fid-ct1', file_unique_id: 'uid-ct1', width: 640, height: 480, file_size: 1000 }],
      },
    };
    // The killed process got as far as the row.
    const row = env.store.photos.receive({ stationNo: 'CT1', tgFileId: 'fid-ct1', tgFileUniqueId: 'uid-ct1', source: 'photo', mediaGroupId: null, chatId: 8702, messageId: 20, combo: '0' });
    expect(env.store.updates.markSeen(3, updateIdentity(photo), 'a-process-killed-mid-handler')).toBe(true);
    await rec.bot.handleUpdate(photo);
    expect(rec.told().join('\n')).not.toMatch(/already/i);
    expect(env.store.photos.list('CT1')).toHaveLength(1);
    expect(await queues.queue('ingest').getJob(`ingest-${row.photo.id}`)).toBeDefined();
    // The same photo sent again as a new message is still a duplicate, and said so.
    await rec.bot.handleUpdate({ ...photo, update_id: 4, message: { ...photo.message, message_id: 21 } } as Update);
    expect(rec.told().at(-1)).toMatch(/already/i);
  });
});
