import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validId } from '../../test/harness.js';
import type { TestUser } from '../../emulator/index.js';
import { DEFAULT_CLASSES, renderRigPhoto } from '../../vision/synth/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';

/** Capture and cleaning end to end: the bot on the emulator, real Redis, the real ingest worker. */
describe('capture and cleaning', () => {
  let stack: ChatStack;
  let emu: ChatStack['emu'];
  let env: ChatStack['env'];

  const photo = async (seed: number, combo = ['gauge_normal']) =>
    (await renderRigPhoto({ seed, classes: DEFAULT_CLASSES, combo, width: 1024, height: 768 })).jpeg;

  async function register(u: TestUser, station: string, id: string): Promise<void> {
    await u.sendText('/start');
    await u.nextMessage();
    await u.sendText(station);
    await u.nextMessage();
    await u.sendText('Tester');
    await u.nextMessage();
    await u.sendText(id);
    await u.nextMessage();
    await u.press(/Confirm|确认/);
    await u.waitFor((m) => /Registered|登记完成/.test(m.text ?? ''));
  }

  beforeAll(async () => {
    stack = await startChatStack({ redisUrl: inject('redisUrl'), baseModel: resolve('vision/detector/fixtures/detector-alt.onnx'), env: { WORKER_QUEUES: 'ingest' } });
    ({ emu, env } = stack);
  });

  afterAll(() => stack.close());

  it('captures by plan: combo picker, accepted photos with progress, duplicates and captions', async () => {
    const u = emu.user(3001, { languageCode: 'en' });
    await register(u, 'C01', validId('11010519900307123'));
    await u.sendText('/capture');
    const screen = await u.nextMessage();
    expect(screen.text).toContain('Current combo: <b>Pointer gauge (normal)</b> 0/10');
    expect(screen.reply_markup?.inline_keyboard).toHaveLength(7);
    await u.press(/Digital meter 0\/10/);
    await u.waitForMessage(screen.message_id, (m) => (m.text ?? '').includes('Current combo: <b>Digital meter</b>'));

    const first = await photo(1, ['digital']);
    await u.sendPhoto(first);
    // Accepted photos come back as their preview with the proposed boxes (a fixture model here).
    expect((await u.nextMessage({ timeoutMs: 15_000 })).caption).toContain('#1 · Digital meter 1/10 · total 1/100');

    await u.sendDocument(first, 'copy.jpg');
    const dupMsg = await u.nextMessage({ timeoutMs: 15_000 });
    expect(dupMsg.text).toContain('identical to photo #1');
    expect(dupMsg.text).toContain('judges sample photos');
    expect(dupMsg.reply_markup).toBeUndefined(); // an exact duplicate cannot be kept anyway

    const resized = await sharp(first).resize(900).jpeg({ quality: 70 }).toBuffer();
    await u.sendPhoto(resized);
    expect((await u.nextMessage({ timeoutMs: 15_000 })).text).toContain('nearly identical to photo #1');

    await u.sendPhoto(await photo(2, ['gauge_normal', 'digital']), { caption: 'gauge_normal+digital' });
    expect((await u.nextMessage({ timeoutMs: 15_000 })).caption).toContain('Pointer gauge (normal) + Digital meter 1/20');

    const blurred = await sharp(await photo(3, ['digital'])).blur(8).jpeg().toBuffer();
    await u.sendPhoto(blurred);
    const blurry = await u.nextMessage({ timeoutMs: 15_000 });
    expect(blurry.text).toContain('blurry');
    expect(blurry.text).toContain('Hold the camera steady');

    const dark = await sharp(await photo(4, ['digital'])).linear(0.1, 0).jpeg().toBuffer();
    await u.sendPhoto(dark);
    expect((await u.nextMessage({ timeoutMs: 15_000 })).text).toContain('too dark');

    expect(env.store.photos.countByCombo('C01')).toEqual(new Map([['2', 1], ['0+2', 1]]));
  });

  it('answers every file in the bad corpus with a clear reason, no crash, no partial rows', async () => {
    const u = emu.user(3002, { languageCode: 'en' });
    await register(u, 'C02', validId('11010519900307124'));
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(16000, 0);
    ihdr.writeUInt32BE(16000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    const { crc32 } = await import('node:zlib');
    const chunk = Buffer.concat([Buffer.from('IHDR'), ihdr]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32 as (b: Buffer) => number)(chunk) >>> 0);
    const bigPng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), chunk, crc]);
    const good = await photo(7);
    const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    const animated = await sharp([gif, gif], { join: { animated: true } }).gif().toBuffer();
    const corpus: Array<[string, Buffer, RegExp]> = [
      ['empty.jpg', Buffer.alloc(0), /empty file/],
      ['text.jpg', Buffer.from('hello, this is not a photo\n'), /not an image/],
      ['doc.pdf', Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), /unsupported format \(pdf\)|not an image/],
      ['cut.jpg', good.subarray(0, Math.floor(good.length / 2)), /damaged or incomplete/],
      ['huge.png', bigPng, /too many pixels/],
      ['anim.gif', animated, /unsupported format|animated/],
      ['tiny.png', await sharp({ create: { width: 10, height: 10, channels: 3, background: '#888' } }).png().toBuffer(), /resolution too low/],
      ['photo.avif', await sharp(good).avif().toBuffer(), /unsupported format/],
    ];
    await u.sendText('/capture');
    await u.nextMessage();
    for (const [name, buf, expected] of corpus) {
      await u.sendDocument(buf, name);
      const reply = await u.nextMessage({ timeoutMs: 15_000 });
      expect(reply.text, name).toMatch(expected);
    }
    const rows = env.store.photos.list('C02');
    expect(rows).toHaveLength(corpus.length);
    expect(rows.every((r) => r.status === 'rejected' && r.rejectReason !== null)).toBe(true);
    expect(env.store.photos.countByCombo('C02').size).toBe(0);
  });

  it('acknowledges an album once, refuses another station’s photo, and /clean restores and removes', async () => {
    const u = emu.user(3003, { languageCode: 'en' });
    await register(u, 'C03', validId('11010519900307125'));
    const a = await photo(11);
    await u.sendAlbum([{ buf: a }, { buf: await photo(12) }, { buf: await photo(13) }]);
    const summary = await u.nextMessage({ timeoutMs: 20_000 });
    expect(summary.text).toContain('Album of 3: ✅ 3 accepted');
    // One summary job per (received, done) state of the album: wait until every one of them
    // has run, then check that none sent a second summary.
    const group = env.store.photos.list('C03')[0]?.mediaGroupId ?? '';
    for (let done = 1; done <= 3; done++) {
      const id = `album-C03-${group}-3-${done}`;
      if (await stack.queues.queue('ingest').getJob(id)) expect(await stack.queues.waitForFinished('ingest', id)).toBe('completed');
    }
    expect(await stack.queues.waitForFinished('ingest', `album-C03-${group}-3-3`)).toBe('completed');
    expect(u.unreadMessages()).toHaveLength(0);

    const other = emu.user(3004, { languageCode: 'en' });
    await register(other, 'C04', validId('11010519900307126'));
    await other.sendText('/capture');
    await other.nextMessage();
    await other.sendDocument(a, 'stolen.jpg');
    expect((await other.nextMessage({ timeoutMs: 15_000 })).text).toContain('already submitted by another station');

    await u.sendPhoto(await sharp(await photo(14)).blur(8).jpeg().toBuffer());
    const rejected = await u.nextMessage({ timeoutMs: 15_000 });
    const blurryId = env.store.photos.list('C03', { status: 'rejected' })[0]?.id ?? -1;
    expect(existsSync(env.store.photos.get(blurryId)?.imagePath ?? '')).toBe(true);

    await u.sendText('/clean');
    const clean = await u.nextMessage();
    expect(clean.text).toContain('✅ 3 accepted · ❌ 1 rejected');
    await u.press(/Rejected photos \(1\)/);
    await u.waitForMessage(clean.message_id, (m) => (m.text ?? '').includes('page 1/1'));
    await u.press(`#${blurryId} blurry`);
    const view = await u.nextMessage();
    expect(view.caption).toContain('blurry');
    await u.press('↩ Restore', { messageId: view.message_id });
    await u.waitForMessage(view.message_id, (m) => m.reply_markup === undefined);
    expect(env.store.photos.get(blurryId)?.status).toBe('clean');
    expect(env.store.photos.get(blurryId)?.imagePath).toMatch(/images\/\d+\.jpg$/);
    expect(existsSync(env.store.photos.get(blurryId)?.imagePath ?? '')).toBe(true);

    // The album summary's only button labels its photos (issue 11 point 13): removing one goes through /clean or the photo's own message.
    expect(summary.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🏷 Label these 3 photos']);
    const firstId = env.store.photos.list('C03')[0]?.id ?? -1;
    const qid = await u.pressData(rejected.message_id, `v1:cx:${firstId}`);
    expect((await u.callbackAnswer(qid)).text).toContain(`Photo #${firstId} removed`);
    expect(env.store.photos.get(firstId)?.rejectReason).toBe('removed-by-user');
    expect(existsSync(env.store.photos.get(firstId)?.imagePath ?? '')).toBe(false);

    const forged = await other.pressData(1, `v1:cr:${blurryId}`);
    expect((await other.callbackAnswer(forged)).text).toBe('This button is not yours.');
    expect(env.store.photos.countByCombo('C03').get('0')).toBe(3);
  });
});
