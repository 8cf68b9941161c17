import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { escapeHtml, t, type CopyKey } from '../core/index.js';
import type { TurnContext } from './facts.js';
import { answerOffline, type GuideAnswer } from './offline.js';
import { scrubForModel } from './scrub.js';
import { callTool, MalformedToolCall, TOOLS, type GuideButton, type ToolResult } from './tools.js';

/**
 * The LLM guide: a tool-calling loop over any LangChain chat model (ChatOpenAI on an
 * OpenAI-compatible endpoint; `fakeModel()` in tests). The model gets the conversation
 * (bounded, scrubbed of ID numbers), calls the tools (arguments parsed by their zod schemas)
 * and answers. Every failure — a timeout, a 429, a malformed tool call, a network error, an
 * answer quoting a number no tool gave — falls back to the offline guide with a one-line note.
 */

export type GuideFailure = 'timeout' | 'rate-limit' | 'malformed' | 'network' | 'ungrounded' | 'error';

export interface ModelTurnOptions {
  model: BaseChatModel;
  question: string;
  ctx: TurnContext;
  /** Earlier turns of this chat, oldest first (bounded by the store). */
  history?: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>;
  /** The whole turn (every model call and tool round trip), ms. */
  timeoutMs: number;
  /** Model calls per turn at most (tool rounds + the answer). */
  maxRounds?: number;
  /** Called once a failure made the offline guide answer. */
  onFallback?: (why: GuideFailure, err: unknown) => void;
}

/** Remembered turns sent to the model at most. */
export const HISTORY_TURNS = 8;

const SYSTEM = `You are the guide of Trainer Copilot, a Telegram bot for contestants of the "AI Trainer" (人工智能训练师) practical exam: capture rig photos per a plan, clean and label them, pass a 20% acceptance review, train a detector, deploy it, write two reports, hand in a folder, all in 120 minutes.
Rules:
- Call the tools for every fact about the contestant's station, the exam rules, metrics and commands. Every number you write must come from a tool result in this conversation; never estimate or invent one.
- Answer in {language}, in at most 4 short sentences, plain text (no Markdown), and end with the one next action when there is one (a command such as /label).
- start_training, deploy_model and draw_review_sample only offer the action: say that the contestant confirms with the button below.
- If the tools cannot answer, say so briefly and suggest /help.`;

/** The tools as LangChain tools (their schemas are what the model sees; the loop runs them itself). */
function langchainTools(ctx: TurnContext) {
  return TOOLS.map((d) =>
    tool(async (input: unknown) => JSON.stringify(forModel(callTool(d.name, input, ctx))), { name: d.name, description: d.description, schema: d.schema }),
  );
}

/** A tool result for the model: catalogue keys become their text in both languages (HTML stripped). */
export function forModel(r: ToolResult): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r.data };
  for (const k of ['ruleKey', 'meaningKey', 'howtoKey'] as const) {
    const key = out[k];
    if (typeof key !== 'string') continue;
    delete out[k];
    const params = { duration: Number(r.data.durationMin ?? 0), rate: Number(r.data.sampleRatePct ?? 0) };
    const plain = (lang: 'zh' | 'en') => t(lang, key as CopyKey, params).replace(/<[^>]+>/g, '');
    out.text = { zh: plain('zh'), en: plain('en') };
  }
  if (r.button) out.button = 'a confirmation button is shown under the answer';
  return out;
}

const NUMBER = /\d+(?:[.,]\d+)?/g;

/** Numbers in a text, ignoring commands (/report1) and run ids (A07-r2), which are names. */
export function numbersIn(text: string): number[] {
  const stripped = text.replace(/\/[a-z0-9_]+/gi, ' ').replace(/\b[A-Z0-9]{1,16}-[ra]\d+\b/g, ' ');
  return [...stripped.matchAll(NUMBER)].map((m) => Number(m[0].replace(',', '.'))).filter((n) => Number.isFinite(n));
}

/** Whether every number of `answer` is one the tools (or the question) gave, allowing rounding and percent. */
export function isGrounded(answer: string, sources: readonly string[]): boolean {
  const known = sources.flatMap(numbersIn);
  const candidates = known.flatMap((y) => [y, y * 100, y / 100]);
  return numbersIn(answer).every((x) => (Number.isInteger(x) && x <= 3) || candidates.some((c) => Math.abs(x - c) <= Math.max(0.001, 0.006 * Math.abs(c))));
}

/** Which failure an error is, from the error's own status or code. */
export function classifyFailure(err: unknown): GuideFailure {
  if (err instanceof MalformedToolCall) return 'malformed';
  if (err instanceof Error && err.name === 'Ungrounded') return 'ungrounded';
  const e = (err ?? {}) as { name?: string; status?: number; code?: string; lc_error_code?: string; message?: string; cause?: unknown };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (e.status === 429 || e.lc_error_code === 'MODEL_RATE_LIMIT') return 'rate-limit';
  if (e.name === 'OutputParserException' || e.lc_error_code === 'OUTPUT_PARSING_FAILURE') return 'malformed';
  const cause = (e.cause ?? {}) as { code?: string };
  if (e.name === 'APIConnectionError' || /ECONN|ENOTFOUND|EAI_AGAIN|fetch failed|socket|network/i.test(`${e.code ?? ''} ${cause.code ?? ''} ${e.message ?? ''}`) || (e.status !== undefined && e.status >= 500)) return 'network';
  return 'error';
}

class TurnTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/** One guide turn with the model; never throws (failures become the offline answer with a note). */
export async function answerWithModel(o: ModelTurnOptions): Promise<GuideAnswer> {
  const { ctx } = o;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new TurnTimeout(`the model did not answer within ${o.timeoutMs} ms`));
      reject(new TurnTimeout(`the model did not answer within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
  });
  try {
    return await Promise.race([turn(o, controller.signal), deadline]);
  } catch (err) {
    const why = classifyFailure(err);
    o.onFallback?.(why, err);
    const offline = answerOffline(o.question, ctx);
    return { ...offline, text: `${t(ctx.lang, `guide.fallback.${why}`)}\n${offline.text}` };
  } finally {
    clearTimeout(timer);
  }
}

async function turn(o: ModelTurnOptions, signal: AbortSignal): Promise<GuideAnswer> {
  const { ctx } = o;
  const model = o.model.bindTools?.(langchainTools(ctx));
  if (!model) throw new Error('this chat model cannot call tools; pick a model with tool calling');
  const language = ctx.lang === 'zh' ? 'Chinese (简体中文)' : 'English';
  const messages: BaseMessage[] = [new SystemMessage(SYSTEM.replace('{language}', language))];
  for (const m of (o.history ?? []).slice(-HISTORY_TURNS)) {
    messages.push(m.role === 'user' ? new HumanMessage(scrubForModel(m.text)) : new AIMessage(scrubForModel(m.text)));
  }
  const question = scrubForModel(o.question);
  messages.push(new HumanMessage(question));
  const sources: string[] = [question];
  const tools: string[] = [];
  let button: GuideButton | undefined;
  for (let round = 0; round < (o.maxRounds ?? 4); round++) {
    const reply = (await model.invoke(messages, { signal })) as AIMessage;
    if (reply.invalid_tool_calls?.length) throw new MalformedToolCall(`the model sent tool calls that do not parse: ${reply.invalid_tool_calls.map((c) => c.name ?? '?').join(', ')}`);
    const calls = reply.tool_calls ?? [];
    if (!calls.length) {
      const text = typeof reply.content === 'string' ? reply.content : reply.content.map((p) => ('text' in p && typeof p.text === 'string' ? p.text : '')).join('');
      if (!text.trim()) throw new MalformedToolCall('the model answered with no text');
      if (!isGrounded(text, sources)) throw Object.assign(new Error('the answer quotes a number no tool gave'), { name: 'Ungrounded' });
      button ??= callTool('next_step', {}, ctx).button;
      return { text: escapeHtml(text.trim()), ...(button ? { button } : {}), tools, source: 'llm' };
    }
    messages.push(reply);
    for (const call of calls) {
      const result = callTool(call.name, call.args, ctx);
      tools.push(call.name);
      if (result.button && call.name !== 'next_step' && call.name !== 'command_help') button = result.button;
      const content = JSON.stringify(forModel(result));
      sources.push(content);
      messages.push(new ToolMessage({ content, tool_call_id: call.id ?? call.name, name: call.name }));
    }
  }
  throw new MalformedToolCall(`the model kept calling tools for ${o.maxRounds ?? 4} rounds without answering`);
}
