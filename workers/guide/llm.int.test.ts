import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkGuideEndpoint } from '../../agents/index.js';
import { startChatStack, type ChatStack } from '../../test/chat-stack.js';
import { memoryLogger, validId } from '../../test/harness.js';
import { hasToolResults, lastUserText, startOpenAiStub, type OpenAiStub, type StubReply } from '../../test/openai-stub.js';

const text = (m: { text?: string }): string => (m.text ?? '').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const ID = validId('11010519900307777');

/**
 * The wiring of the LLM guide: ChatOpenAI (LangChain) in the workers against a local
 * OpenAI-compatible server speaking the real wire format, tool calls included. The stub
 * decides its answer from the question; every request body it received is checked.
 */
describe('the guide with an LLM (ChatOpenAI against a local OpenAI-compatible stub)', () => {
  let stub: OpenAiStub;
  let stack: ChatStack;
  const reply = (req: Parameters<Parameters<typeof startOpenAiStub>[0]['reply']>[0]): StubReply => {
    const q = lastUserText(req);
    if (q.includes('ratelimit')) return { kind: 'status', status: 429, message: 'Rate limit reached for requests' };
    if (q.includes('slow')) return { kind: 'delay', ms: 1500, then: { kind: 'text', text: 'Send /label next.' } };
    if (q.includes('garbled')) return { kind: 'tools', calls: [{ name: 'get_progress', args: '{"oops": ' }] };
    if (!hasToolResults(req)) return { kind: 'tools', calls: [{ name: 'get_progress', args: {} }] };
    return { kind: 'text', text: 'You have 0 of 100 photos so far. Start with /capture.' };
  };

  beforeAll(async () => {
    stub = await startOpenAiStub({ models: ['stub-model'], reply });
    stack = await startChatStack({
      redisUrl: inject('redisUrl'),
      env: { WORKER_QUEUES: 'guide', OPENAI_API_KEY: 'sk-test-guide-000000', OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: 'stub-model', GUIDE_THINKING_MS: '300', GUIDE_TIMEOUT_MS: '10000' },
      name: 'guide-llm',
    });
    const { store } = stack.env;
    store.stations.create({ stationNo: 'L01', contestantName: 'Li Lei', idNumber: ID });
    store.users.upsert({ userId: 7201, chatId: 7201, lang: 'en' });
    store.users.bindStation(7201, 'L01', 'contestant');
  });
  afterAll(async () => {
    await stack.close();
    await stub.close();
  });

  it('calls a tool over the wire, answers with its numbers and the next-action button; no ID number reaches the model', async () => {
    const u = stack.emu.user(7201, { languageCode: 'en' });
    // The chat deletes a message holding a full ID number before any flow sees it; the masked
    // form the chat shows is what a contestant can type, and a full one is scrubbed in the worker too.
    const asked = await u.sendText(`how far am I? is ${ID.slice(0, 4)}**********${ID.slice(-4)} right?`);
    const a = await u.waitFor((m) => text(m).includes('0 of 100 photos'));
    expect(await stack.queues.waitForFinished('guide', `guide-7201-r${asked.message_id}`)).toBe('completed');
    expect(text(a)).toBe('You have 0 of 100 photos so far. Start with /capture.');
    expect(a.reply_markup?.inline_keyboard.flat()[0]?.callback_data).toBe('v1:gx:capture');
    const [first, second] = stub.requests.slice(-2);
    if (!first || !second) throw new Error('two model calls');
    expect(first.model).toBe('stub-model');
    expect(first.stream).not.toBe(true);
    const names = (first.tools ?? []).map((t) => t.function.name);
    expect(names).toEqual(expect.arrayContaining(['get_progress', 'next_step', 'why_rejected', 'exam_rules', 'training_advice', 'start_training']));
    const rules = first.tools?.find((t) => t.function.name === 'exam_rules')?.function.parameters as { properties: { topic: { enum: string[] } } };
    expect(rules.properties.topic.enum).toContain('acceptance');
    // The tool's result went back as a `tool` message answering the call's id.
    const toolMsg = second.messages.find((m) => m.role === 'tool');
    expect(toolMsg?.tool_call_id).toMatch(/^call_/);
    expect(toolMsg?.content).toContain('"captured":0');
    const all = stub.raw.join('\n');
    expect(all).not.toContain(ID);
    expect(all).not.toContain(ID.slice(-4));
    expect(all).not.toContain('Li Lei');
    // The turn is remembered (bounded, in SQLite) and goes with the next question.
    expect(stack.env.store.guide.memory(7201).map((m) => m.role)).toEqual(['user', 'assistant']);
    await stack.jobs.enqueue('guide', { stationNo: 'L01', chatId: 7201, lang: 'en', text: `how far am I? ${ID}`, requestId: 990001 });
    expect(await stack.queues.waitForFinished('guide', 'guide-7201-r990001')).toBe('completed');
    const again = stub.raw.slice(-2).join('\n');
    expect(again).toContain('[ID number removed]');
    expect(again).not.toContain(ID);
    // The earlier turn went with it.
    expect(again).toContain('You have 0 of 100 photos so far.');
  });

  it('falls back to the offline guide with a one-line note on a 429 and on a malformed tool call', async () => {
    const u = stack.emu.user(7201, { languageCode: 'en' });
    await u.sendText('ratelimit: how far am I?');
    const limited = await u.waitFor((m) => text(m).startsWith('(The model is rate-limited'));
    expect(text(limited)).toContain('Station L01: 0/100 photos captured');
    await u.sendText('garbled: how far am I?');
    const garbled = await u.waitFor((m) => text(m).startsWith('(The model answered in a form I cannot use'));
    expect(text(garbled)).toContain('0/100 photos captured');
  });

  it('says it is thinking when the model is slow, then replaces that with the answer', async () => {
    const u = stack.emu.user(7201, { languageCode: 'en' });
    await u.sendText('slow: what should I do?');
    const thinking = await u.waitFor((m) => text(m) === '🤔 Thinking…');
    const answered = await u.waitForMessage(thinking.message_id, (m) => text(m) === 'Send /label next.');
    expect(answered.reply_markup?.inline_keyboard.flat()[0]?.text).toBe('▶️ /capture');
  });

  it('checks the endpoint at start-up with the model list and names a wrong model or endpoint', async () => {
    const { log, lines } = memoryLogger('check');
    const cfg = { OPENAI_API_KEY: 'sk-test-guide-000000', OPENAI_BASE_URL: stub.baseUrl };
    expect(await checkGuideEndpoint({ ...cfg, OPENAI_MODEL: 'stub-model' }, log)).toEqual({ kind: 'ok', models: 1 });
    expect(await checkGuideEndpoint({ ...cfg, OPENAI_MODEL: 'gpt-9' }, log)).toEqual({ kind: 'model-missing', available: ['stub-model'] });
    expect((await checkGuideEndpoint({ ...cfg, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'stub-model' }, log)).kind).toBe('unreachable');
    const logged = lines.join('');
    expect(logged).toContain('OPENAI_MODEL is not served by OPENAI_BASE_URL');
    expect(logged).toContain('the LLM endpoint does not answer');
    expect(logged).not.toContain('sk-test-guide-000000');
  });
});
