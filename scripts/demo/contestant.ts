import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { capturePlan, idCheckChar, iou, t, type ExamConfig, type Lang } from '../../core/index.js';
import type { Emulator } from '../../emulator/index.js';
import type { Store } from '../../store/index.js';
import { renderRigPhoto } from '../../vision/synth/index.js';

/**
 * A scripted contestant on the local chat: the whole exam, as a person would do it with
 * the bot — register, capture the plan (plus bad photos cleaning must catch), confirm
 * pre-labels with one tap where they are right and fix the rest in the box editor,
 * check, review the acceptance sample, export, report, train, deploy, call the service,
 * report again, hand in. It knows the true boxes of its synthetic photos, so it decides
 * as a careful contestant would; it reads the product's state only to make that decision.
 */

type TestUser = ReturnType<Emulator['user']>;
type Message = Awaited<ReturnType<TestUser['nextMessage']>>;

export interface DemoStep {
  step: string;
  seconds: number;
  /** What it produced, where (a path, a URL, a count). */
  detail: string;
}

export interface DemoOptions {
  emu: Emulator;
  store: Store;
  exam: ExamConfig;
  webUrl: string;
  lang: Lang;
  userId: number;
  station: string;
  /** `/train` arguments (a preset name and/or parameters). */
  train: string;
  /** Real photos to send too (paths); the product judges them like any other. */
  realPhotos?: readonly string[];
  /** Called as each step ends (the demo prints it). */
  onStep?: (s: DemoStep) => void;
  /** Longest wait for one answer, ms. */
  timeoutMs?: number;
}

export interface DemoResult {
  steps: DemoStep[];
  accepted: number;
  rejected: number;
  oneTap: number;
  editorFixes: number;
  /** Chat actions a person made: messages sent, buttons pressed, editor saves. */
  actions: number;
  apiKey?: string;
  /** Boxes the invocation service returned at its default threshold (and at 0.05 when none), and the run that answered. */
  detectBoxes?: number;
  detectBoxesLow?: number;
  detectRun?: string;
  /** Photos whose loose boxes the contestant fixed with /check's 📐 Snap. */
  snapped?: number;
  /** Chat message ids worth showing (the screenshots): a pre-label preview of all three meters, training, the review, the deployment. */
  marks: { preview?: number; train?: number; review?: number; deploy?: number };
  /** The box editor's link of that preview. */
  editorLink?: string;
}

const text = (m: Message): string => m.text ?? m.caption ?? '';
const buttons = (m: Message): Array<{ text: string; url?: string; web_app?: { url: string }; callback_data?: string }> =>
  (m.reply_markup?.inline_keyboard ?? []).flat() as Array<{ text: string; url?: string; web_app?: { url: string }; callback_data?: string }>;

export async function runContestant(o: DemoOptions): Promise<DemoResult> {
  const u = o.emu.user(o.userId, { firstName: o.lang === 'zh' ? '张三' : 'Alex', languageCode: o.lang === 'zh' ? 'zh-hans' : 'en' });
  const wait = o.timeoutMs ?? 60_000;
  const result: DemoResult = { steps: [], accepted: 0, rejected: 0, oneTap: 0, editorFixes: 0, actions: 0, marks: {} };
  let mark = 0; // message ids up to here are old
  const newest = () => Math.max(0, ...u.messages().map((m) => m.message_id));
  const send = async (s: string) => {
    mark = newest();
    result.actions++;
    await u.sendText(s);
  };
  const fresh = (pred: (m: Message) => boolean, timeoutMs = wait) => u.waitFor((m) => m.message_id > mark && pred(m), { timeoutMs });
  const step = async (name: string, fn: () => Promise<string>) => {
    const t0 = performance.now();
    const detail = await fn();
    const s = { step: name, seconds: (performance.now() - t0) / 1000, detail };
    result.steps.push(s);
    o.onStep?.(s);
  };

  await step('register', async () => {
    await send('/start');
    await fresh((m) => /A07|station number|工位号/.test(text(m)));
    await send(o.station);
    await fresh((m) => text(m).includes(o.station));
    await send(o.lang === 'zh' ? '张三' : 'Alex Zhang');
    await fresh((m) => /ID|身份证/.test(text(m)));
    await send(`11010519900307123${idCheckChar('11010519900307123')}`);
    // Registered at once, or after a confirmation button (when the bot asks for one).
    const registered = (m: Message) => text(m).includes(o.station) && /✅/u.test(text(m));
    const answer = await fresh((m) => registered(m) || buttons(m).some((b) => b.text === t(o.lang, 'btn.confirm')));
    if (!registered(answer)) {
      mark = newest();
      result.actions++;
      await u.press(t(o.lang, 'btn.confirm'), { messageId: answer.message_id });
      // The confirmation message itself becomes "✅ Registered".
      await u.waitFor((m) => m.message_id >= answer.message_id && registered(m), { timeoutMs: wait });
    }
    return `station ${o.station}`;
  });

  if (o.emu.commands({ languageCode: o.lang === 'zh' ? 'zh' : 'en' }).some((c) => c.command === 'timer')) {
    await step('start the exam clock (/timer)', async () => {
      await send('/timer');
      await fresh(() => true);
      return `${o.exam.durationMin} min`;
    });
  }

  const plan = capturePlan(o.exam);
  // The rig's meters as the synthetic generator draws them (every exam class with a kind).
  const synthClasses = o.exam.classes.flatMap((c) => (c.kind ? [{ id: c.id, key: c.key, kind: c.kind }] : []));
  const byKey = new Map(o.exam.classes.map((c) => [c.id, c.key]));
  let seed = 1;
  const truth = new Map<number, Array<{ classId: number; x1: number; y1: number; x2: number; y2: number }>>();

  /** Sends one photo and waits for its verdict; returns the photo id and whether it was accepted. */
  const capture = async (jpeg: Buffer, caption: string): Promise<{ id: number; accepted: boolean; preview?: Message }> => {
    mark = newest();
    result.actions++;
    await u.sendPhoto(jpeg, { caption });
    // The preview: a picture with the proposed boxes and a link button that opens the box editor.
    const isPreview = (m: Message) => Boolean(m.photo) && buttons(m).some((b) => b.url !== undefined || b.web_app !== undefined);
    const verdict = await fresh((m) => /#(\d+)/.test(text(m)) && (/^❌/u.test(text(m)) || isPreview(m)), wait);
    const id = Number(/#(\d+)/.exec(text(verdict))?.[1]);
    if (/^❌/u.test(text(verdict))) return { id, accepted: false };
    // The preview: the photo with the proposed boxes, Confirm and the editor.
    return { id, accepted: true, preview: verdict };
  };

  /** One tap when the proposal is right (every true box matched at IoU ≥ 0.9 with its class, nothing extra), else the editor. */
  const label = async (id: number, preview: Message) => {
    const want = truth.get(id) ?? [];
    const proposal = o.store.labels.latest(id)?.boxes ?? [];
    const right = proposal.length === want.length && want.every((g) => proposal.some((p) => p.classId === g.classId && iou(p, g) >= 0.9));
    if (right) {
      result.oneTap++;
      result.actions++;
      // "✅ Confirm (n boxes)", or "☑️ Confirm as is" under a preview the model is unsure of: the same one tap.
      const confirm = buttons(preview).find((b) => b.callback_data?.split(':')[1] === 'pc');
      if (!confirm) throw new Error(`photo #${id}: no Confirm button on its preview`);
      await u.press(confirm.text, { messageId: preview.message_id });
    } else {
      const editor = buttons(preview).find((b) => b.url !== undefined || b.web_app !== undefined);
      const link = editor?.web_app?.url ?? editor?.url;
      if (!link) throw new Error(`photo #${id}: no editor button on its preview`);
      const url = new URL(link);
      const res = await fetch(`${o.webUrl}/editor/api/save${url.search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: o.webUrl },
        body: JSON.stringify({ boxes: want }),
      });
      if (!res.ok) throw new Error(`photo #${id}: the editor refused the save (${res.status} ${await res.text()})`);
      result.editorFixes++;
      result.actions += 2; // open the editor, save
    }
    await waitUntil(() => o.store.photos.get(id)?.status === 'confirmed', wait, `photo #${id} confirmed`);
  };

  await step(`capture the plan (${plan.reduce((n, p) => n + p.quota, 0)} photos) and label each`, async () => {
    await send('/capture');
    await fresh(() => true);
    for (const item of plan) {
      const keys = item.classIds.map((id) => byKey.get(id) ?? String(id));
      for (let i = 0; i < item.quota; i++) {
        const p = await renderRigPhoto({ seed: 7000 + seed++, classes: synthClasses, combo: keys, width: 1280, height: 960 });
        const r = await capture(p.jpeg, keys.join('+'));
        if (!r.accepted || !r.preview) {
          result.rejected++;
          i--; // a real contestant takes another photo
          if (result.rejected > 20) throw new Error('too many rejected photos');
          continue;
        }
        result.accepted++;
        truth.set(r.id, p.boxes);
        if (item.classIds.length === o.exam.classes.length && result.marks.preview === undefined) {
          result.marks.preview = r.preview.message_id;
          const link = buttons(r.preview).find((b) => b.url !== undefined || b.web_app !== undefined);
          result.editorLink = link?.web_app?.url ?? link?.url;
        }
        await label(r.id, r.preview);
      }
    }
    return `${result.accepted} accepted, ${result.oneTap} one tap, ${result.editorFixes} fixed in the editor`;
  });

  await step('bad photos (cleaning must catch them)', async () => {
    const first = [...truth.keys()][0];
    const firstPath = first === undefined ? undefined : o.store.photos.get(first)?.imagePath;
    const bad: Array<{ name: string; jpeg: Buffer }> = [];
    if (firstPath) bad.push({ name: 'exact duplicate', jpeg: readFileSync(firstPath) });
    const p = await renderRigPhoto({ seed: 99, classes: synthClasses, combo: [o.exam.classes[0]?.key ?? ''], width: 1280, height: 960 });
    bad.push({ name: 'too dark', jpeg: await sharp(p.jpeg).linear(0.08, 0).jpeg().toBuffer() });
    bad.push({ name: 'blurry', jpeg: await sharp(p.jpeg).blur(12).jpeg().toBuffer() });
    for (const path of o.realPhotos ?? []) bad.push({ name: `real photo ${path.split('/').pop() ?? ''}`, jpeg: readFileSync(path) });
    const verdicts: string[] = [];
    for (const b of bad) {
      const r = await capture(b.jpeg, o.exam.classes[0]?.key ?? '');
      verdicts.push(`${b.name}: ${r.accepted ? 'accepted' : 'rejected'}`);
      if (r.accepted && r.preview) {
        // Kept by the product (e.g. a real photo it judged usable): the contestant discards it — the plan is full.
        result.accepted++;
      } else result.rejected++;
    }
    return verdicts.join('; ');
  });

  await step('/check', async () => {
    await send('/check');
    const m = await fresh((x) => buttons(x).some((b) => b.text === t(o.lang, 'btn.refresh')), wait * 2);
    const found = text(m).replace(/<[^>]+>/g, '').split('\n').slice(1, 2).join(' ');
    // Loose boxes: the contestant taps 📐 Snap on each photo listed; the list is edited in place.
    let snapped = 0;
    for (let guard = 0; guard < 60; guard++) {
      const now = u.messages().find((x) => x.message_id === m.message_id) ?? m;
      const snap = buttons(now).find((b) => b.callback_data?.split(':')[1] === 'cs');
      if (!snap) break;
      const before = text(now) + JSON.stringify(buttons(now));
      result.actions++;
      const query = await u.press(snap.text, { messageId: m.message_id });
      await u.callbackAnswer(query, { timeoutMs: wait });
      await u.waitForMessage(m.message_id, (x) => text(x) + JSON.stringify(buttons(x)) !== before, { timeoutMs: wait });
      snapped++;
    }
    result.snapped = snapped;
    return snapped ? `${found} → ${snapped} photos snapped` : found;
  });

  /** Presses a button and waits for the bot's answer to it (the message is edited in place). */
  const pressWait = async (messageId: number, label: string) => {
    mark = newest();
    result.actions++;
    const query = await u.press(label, { messageId });
    await u.callbackAnswer(query, { timeoutMs: wait });
  };
  const isVerdict = (b: { text: string }) => /^\d+ ✅$/u.test(b.text);

  await step('/review (the 20 % acceptance sample)', async () => {
    await send('/review');
    const overview = await fresh((m) => buttons(m).some((b) => b.text === t(o.lang, 'btn.review.draw')));
    await pressWait(overview.message_id, t(o.lang, 'btn.review.draw'));
    const page = () => u.waitFor((m) => buttons(m).some((b) => isVerdict(b) || b.text === t(o.lang, 'btn.review.finish')), { timeoutMs: wait });
    for (let guard = 0; guard < 200; guard++) {
      const m = await page();
      result.marks.review = m.message_id;
      // Every box of the sample was confirmed against the true boxes: each is qualified.
      for (const b of buttons(m).filter(isVerdict)) await pressWait(m.message_id, b.text);
      // The page is edited after the answer to the last press: wait for ▶ or Finish on it.
      const onward = (x: Message) => buttons(x).some((b) => b.text === t(o.lang, 'clean.next') || b.text === t(o.lang, 'btn.review.finish'));
      const now = await u.waitForMessage(m.message_id, onward, { timeoutMs: wait });
      const next = buttons(now).find((b) => b.text === t(o.lang, 'clean.next'));
      if (next) {
        await pressWait(now.message_id, next.text);
        await u.waitForMessage(now.message_id, (x) => text(x) !== text(now), { timeoutMs: wait });
        continue;
      }
      const finish = buttons(now).find((b) => b.text === t(o.lang, 'btn.review.finish'));
      if (!finish) throw new Error('the review offers neither ▶ nor Finish after every verdict');
      await pressWait(now.message_id, finish.text);
      break;
    }
    const head = t(o.lang, 'review.result', { acc: '', qualified: 0, boxes: 0, missed: 0, loose: 0, wrong: 0 }).split('<b>')[0] ?? '🎯';
    const done = await u.waitFor((x) => text(x).includes(head), { timeoutMs: wait });
    return text(done).replace(/<[^>]+>/g, '').split('\n').find((l) => l.includes(head.replace(/<[^>]+>/g, ''))) ?? '';
  });

  const document = async (command: string, waitMs: number): Promise<string> => {
    await send(command);
    const m = await fresh((x) => Boolean(x.document), waitMs);
    return `${m.document?.file_name ?? 'document'} (${Math.round((m.document?.file_size ?? 0) / 1024)} KB)`;
  };
  await step('/dataset (YOLO, COCO, Pascal VOC)', async () => {
    await send('/dataset');
    // A zip document, or — over the Bot API's 50 MB upload limit — a download link from the web process.
    const m = await fresh((x) => Boolean(x.document) || /\/files\/export\//.test(text(x)), wait * 2);
    if (m.document) return `${m.document.file_name ?? 'document'} (${Math.round((m.document.file_size ?? 0) / 1024)} KB)`;
    const link = /(https?:\/\/\S+\/files\/export\/\S+)/.exec(text(m))?.[1] ?? '';
    const res = await fetch(link.replace(/^https?:\/\/[^/]+/, o.webUrl));
    if (!res.ok) throw new Error(`the dataset link answered ${res.status}`);
    const bytes = (await res.arrayBuffer()).byteLength;
    return `over 50 MB: a link; downloaded ${(bytes / 2 ** 20).toFixed(1)} MB`;
  });
  await step('/report1 (dataset acceptance report, PDF)', () => document('/report1', wait * 2));

  await step(`/train ${o.train}`, async () => {
    await send(`/train ${o.train}`);
    const started = await fresh((m) => /\b[A-Za-z0-9-]+-r\d+\b/.test(text(m)), wait);
    result.marks.train = started.message_id;
    const run = /([A-Za-z0-9-]+-r\d+)/.exec(text(started))?.[1] ?? '';
    await waitUntil(() => ['completed', 'failed', 'stopped'].includes(o.store.runs.get(run)?.status ?? ''), 30 * 60_000, `run ${run} finished`);
    const r = o.store.runs.get(run);
    if (r?.status !== 'completed') throw new Error(`run ${run} ended ${r?.status}: ${r?.error ?? ''}`);
    return `${run}: mAP50 ${Number(r.metrics?.map50 ?? 0).toFixed(3)} (${r.params.imgSize} px)`;
  });

  await step('/deploy', async () => {
    await send('/deploy');
    const key = await fresh((m) => /tc_[A-Za-z0-9_-]{20,}/.test(text(m)), wait);
    result.marks.deploy = key.message_id;
    result.apiKey = /(tc_[A-Za-z0-9_-]{20,})/.exec(text(key))?.[1];
    return `${o.webUrl}/api/v1/stations/${o.station}/detect`;
  });

  await step('call the invocation service', async () => {
    const p = await renderRigPhoto({ seed: 4242, classes: synthClasses, combo: o.exam.classes.map((c) => c.key), width: 1280, height: 960 });
    const detect = async (query: string) => {
      const res = await fetch(`${o.webUrl}/api/v1/stations/${o.station}/detect${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${result.apiKey ?? ''}`, 'content-type': 'image/jpeg' },
        body: new Uint8Array(p.jpeg),
      });
      const body = (await res.json()) as { detections?: unknown[]; inferenceMs?: number; run?: string };
      if (!res.ok) throw new Error(`detect answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const body = await detect('');
    result.detectBoxes = body.detections?.length ?? 0;
    result.detectRun = body.run;
    let detail = `${result.detectBoxes} boxes at the default threshold (3 meters in the photo), ${body.inferenceMs ?? '?'} ms, model ${body.run ?? '?'}`;
    if (result.detectBoxes === 0) {
      // A very short training run (the quick plan) may score below the default: ask what it sees at all.
      const low = await detect('?threshold=0.05');
      result.detectBoxesLow = low.detections?.length ?? 0;
      detail += `; ${result.detectBoxesLow} at threshold 0.05`;
    }
    return detail;
  });

  await step('/report2 (project report, PDF)', () => document('/report2', wait * 2));
  await step('/handin', async () => {
    await send('/handin');
    const m = await fresh((x) => Boolean(x.document) || text(x).includes(t(o.lang, 'handin.done').slice(0, 8)), wait * 2);
    return m.document?.file_name ?? text(m).replace(/<[^>]+>/g, '').slice(0, 160);
  });
  return result;
}

async function waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The real gauge photos the demo sends (from `../shared/data/real-gauges`, CC BY 4.0), when that folder is there. */
export function realGaugePhotos(dir: string, n: number): string[] {
  try {
    return readdirSync(join(dir, 'images'))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(-n)
      .map((f) => join(dir, 'images', f));
  } catch {
    return [];
  }
}
