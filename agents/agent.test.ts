import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { fakeModel } from '@langchain/core/testing';
import { describe, expect, it } from 'vitest';
import { answerWithModel, classifyFailure, isGrounded, type GuideFailure } from './agent.js';
import { midExamFacts } from './test-fixtures/facts.js';

const ctx = { facts: midExamFacts(), lang: 'en' as const };
const sent = (m: { calls: Array<{ messages: BaseMessage[] }> }) => JSON.stringify(m.calls.map((c) => c.messages.map((x) => x.content)));

/** A model that never answers (until aborted): the turn's timeout must end the wait. */
class SilentModel extends BaseChatModel {
  _llmType() {
    return 'silent';
  }
  override bindTools() {
    return this as never;
  }
  _generate(_m: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    return new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
  }
}

describe('the LLM guide (tool calling with fakeModel)', () => {
  it('calls a tool, answers with its numbers, and offers the next action as a button', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'get_progress', args: {} }])
      .respond(new AIMessage('You have 57 of 100 photos and 49 confirmed labels; 55 minutes left. Next: /label the 5 waiting photos.'));
    const a = await answerWithModel({ model, question: 'How am I doing?', ctx, timeoutMs: 5000 });
    expect(a.source).toBe('llm');
    expect(a.tools).toEqual(['get_progress']);
    expect(a.text).toContain('57 of 100');
    expect(a.button?.callback).toBe('v1:gx:label');
    expect(model.callCount).toBe(2);
    // The tool result went back to the model as a tool message, with the facts' numbers.
    expect(sent(model)).toContain('\\"captured\\":57');
  });

  it('runs several tools in one round and keeps an acting tool’s confirmation button', async () => {
    const model = fakeModel()
      .respondWithTools([
        { name: 'training_advice', args: {} },
        { name: 'start_training', args: { preset: 'balanced' } },
      ])
      .respond(new AIMessage('With 49 confirmed photos the balanced preset fits: 80 epochs, at most 10 minutes. Press the button to start.'));
    const a = await answerWithModel({ model, question: 'train it', ctx, timeoutMs: 5000 });
    expect(a.tools).toEqual(['training_advice', 'start_training']);
    expect(a.button).toMatchObject({ label: 'guide.btn.train', callback: 'v1:tp:balanced' });
  });

  it('gives the exam rules in both languages to the model', async () => {
    const model = fakeModel().respondWithTools([{ name: 'exam_rules', args: { topic: 'acceptance' } }]).respond(new AIMessage('A box must be tight on all four sides; 20% of the photos are sampled.'));
    const a = await answerWithModel({ model, question: 'what are the acceptance rules?', ctx, timeoutMs: 5000 });
    expect(a.source).toBe('llm');
    const toolMessage = sent(model);
    expect(toolMessage).toContain('最小外接矩形');
    expect(toolMessage).toContain('tightly on all four sides');
    expect(toolMessage).toContain('20% of the labeled photos');
    expect(toolMessage).not.toContain('{rate}');
  });

  it('asks in the language the user wrote in', async () => {
    const model = fakeModel().respond(new AIMessage('请发送 /label 确认标注。'));
    const a = await answerWithModel({ model, question: '下一步？', ctx: { ...ctx, lang: 'zh' }, timeoutMs: 5000 });
    expect(a.text).toBe('请发送 /label 确认标注。');
    expect(String(model.calls[0]?.messages[0]?.content)).toContain('Answer in Chinese');
  });

  const fallbacks: Array<[string, () => ReturnType<typeof fakeModel>, GuideFailure]> = [
    ['a number no tool gave', () => fakeModel().respond(new AIMessage('You have 63 photos.')), 'ungrounded'],
    ['a tool call whose arguments the schema refuses', () => fakeModel().respondWithTools([{ name: 'exam_rules', args: { topic: 'cooking' } }]), 'malformed'],
    ['a call of a tool that does not exist', () => fakeModel().respondWithTools([{ name: 'delete_station', args: {} }]), 'malformed'],
    ['tool calls that never end', () => fakeModel().respondWithTools([{ name: 'next_step', args: {} }]).respondWithTools([{ name: 'next_step', args: {} }]).respondWithTools([{ name: 'next_step', args: {} }]).respondWithTools([{ name: 'next_step', args: {} }]), 'malformed'],
    ['a 429', () => fakeModel().respond(Object.assign(new Error('Rate limit reached'), { status: 429 })), 'rate-limit'],
    ['a network error', () => fakeModel().respond(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })), 'network'],
    ['a 503', () => fakeModel().respond(Object.assign(new Error('Service Unavailable'), { status: 503 })), 'network'],
  ];
  for (const [what, make, why] of fallbacks) {
    it(`falls back to the offline guide with a one-line note on ${what}`, async () => {
      let told: GuideFailure | undefined;
      const a = await answerWithModel({ model: make(), question: 'how far am I?', ctx, timeoutMs: 5000, onFallback: (w) => (told = w) });
      expect(told).toBe(why);
      expect(a.source).toBe('offline');
      const [note, ...rest] = a.text.split('\n');
      expect(note).toMatch(/^\(.+the offline guide answers\.\)$/);
      expect(rest.join('\n')).toContain('57/100 photos captured');
    });
  }

  it('never waits past its timeout: a silent model falls back', async () => {
    let told: GuideFailure | undefined;
    const a = await answerWithModel({ model: new SilentModel({}), question: 'what next?', ctx, timeoutMs: 100, onFallback: (w) => (told = w) });
    expect(told).toBe('timeout');
    expect(a.text).toContain('The model took too long');
    expect(a.text).toContain('5 photos wait');
  });

  it('sends no ID number to the model, full or masked, from the question or the memory', async () => {
    const model = fakeModel().respond(new AIMessage('Noted. Next: /label.'));
    const history = [
      { role: 'user' as const, text: 'my id is 110105199003071234, is it right?' },
      { role: 'assistant' as const, text: 'Your ID 1101**********1234 is only used for the hand-in folder.' },
    ];
    await answerWithModel({ model, question: 'is 1101 0519 9003 0712 34 my number? also 1101**********1234', ctx, history, timeoutMs: 5000 });
    const all = sent(model);
    expect(all).not.toMatch(/110105199003071234|1101\*+1234|0712 ?34/);
    expect(all).toContain('[ID number removed]');
    // The memory reached the model (bounded, oldest first).
    expect(model.calls[0]?.messages.map((m) => m.getType())).toEqual(['system', 'human', 'ai', 'human']);
  });
});

describe('grounding and failure kinds', () => {
  it('accepts numbers from the tools with rounding or as a percentage, names aside', () => {
    const src = ['{"map50":0.873,"captured":57}'];
    expect(isGrounded('mAP50 0.87, 87.3 %, 57 photos; /report1 for A07-r1', src)).toBe(true);
    expect(isGrounded('mAP50 0.95', src)).toBe(false);
    expect(isGrounded('step 1, then 2', src)).toBe(true);
  });

  it('classifies errors by their own status and code', () => {
    expect(classifyFailure(Object.assign(new Error('x'), { lc_error_code: 'MODEL_RATE_LIMIT' }))).toBe('rate-limit');
    expect(classifyFailure(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(classifyFailure(Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' }))).toBe('network');
    expect(classifyFailure(new Error('something else'))).toBe('error');
  });
});
