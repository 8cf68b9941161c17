import { performance } from 'node:perf_hooks';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { answerOffline, answerWithModel, createGuideModel } from '../../agents/index.js';
import { midExamFacts } from '../../agents/test-fixtures/facts.js';
import { loadConfig } from '../../core/index.js';
import { testEnv } from '../../test/harness.js';
import { hasToolResults, startOpenAiStub } from '../../test/openai-stub.js';
import { seedConfirmedStation } from '../../test/seed.js';
import { readGuideFacts } from '../../workers/guide/facts.js';
import { median, metric, percentile, type Bench, type Metric } from '../metric.js';
import { seedStations, startStack } from '../env.js';
import { startWorkers } from '../../workers/run.js';
import { createLogger } from '../../core/index.js';
import { Writable } from 'node:stream';

/** Common questions, both languages (the offline guide's table has more; these cover every tool). */
const QUESTIONS = [
  '下一步做什么？', 'What should I do next?', '我的进度怎么样', 'How far am I?', '还剩多少时间？', 'How much time is left?',
  '为什么我的照片被拒了', 'Why was photo #12 rejected?', '验收标准有什么要求', 'What counts as a qualified box?',
  '训练参数怎么设置', 'Which parameters should I use?', '训练得怎么样了', 'Which run is best?', 'mAP50 是什么意思', 'What is recall?',
  '报告做了吗', 'Is the review finished?', '/review 怎么用', 'How do I deploy?', '开始训练', 'Draw the review sample', '今天天气怎么样',
];

const time = async (f: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

async function offline(out: Metric[]): Promise<void> {
  const facts = midExamFacts();
  for (const q of QUESTIONS) answerOffline(q, { facts, lang: 'en' }); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) for (const q of QUESTIONS) runs.push(await time(() => answerOffline(q, { facts, lang: /[\u4e00-\u9fff]/.test(q) ? 'zh' : 'en' })));
  out.push(metric(`offline guide: intent + tool + wording, per question (median, ${runs.length} answers)`, median(runs), 'ms'));
  out.push(metric('offline guide: per question p95', percentile(runs, 95), 'ms', 50));
}

async function facts(out: Metric[]): Promise<void> {
  const env = testEnv();
  try {
    await seedConfirmedStation(env, 'B01', 1, 100, '11010519900307123');
    const runs: number[] = [];
    for (let i = 0; i < 20; i++) runs.push(await time(() => readGuideFacts(env.store, env.exam, 'B01', Date.now())));
    out.push(metric('worker: read the station facts a turn uses, 100-photo station (median of 20)', median(runs), 'ms', 50));
  } finally {
    env.cleanup();
  }
}

/**
 * The agent's overhead per turn: one tool round trip and the answer (two model calls). With
 * the local stub answering at once, the whole turn is overhead (LangChain, HTTP, tool calls,
 * grounding); the model's own time is what a real endpoint adds on top. `fakeModel()` gives
 * the in-process part alone.
 */
async function agent(out: Metric[]): Promise<void> {
  const stub = await startOpenAiStub({ reply: (req) => (hasToolResults(req) ? { kind: 'text', text: 'You have 57 of 100 photos; next /label.' } : { kind: 'tools', calls: [{ name: 'get_progress', args: {} }] }) });
  try {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-bench-000000', OPENAI_BASE_URL: stub.baseUrl, OPENAI_MODEL: 'stub-model' });
    const model = createGuideModel(config);
    if (!model) throw new Error('no model');
    const ctx = { facts: midExamFacts(), lang: 'en' as const };
    await answerWithModel({ model, question: 'how far am I?', ctx, timeoutMs: 10_000 });
    const runs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const a = await answerWithModel({ model, question: 'how far am I?', ctx, timeoutMs: 10_000 });
      runs.push(performance.now() - t0);
      if (a.source !== 'llm') throw new Error(`the stub turn fell back: ${a.text}`);
    }
    out.push(metric('agent turn with ChatOpenAI on the local stub: 1 tool round trip + answer (median of 30)', median(runs), 'ms'));
    out.push(metric('agent turn on the stub: p95', percentile(runs, 95), 'ms', 250));
    out.push(metric('agent overhead per model call (HTTP + LangChain + tools), median / 2', median(runs) / 2, 'ms'));
    const fake: number[] = [];
    for (let i = 0; i < 30; i++) {
      const m = fakeModel().respondWithTools([{ name: 'get_progress', args: {} }]).respond(new AIMessage('You have 57 of 100 photos; next /label.'));
      fake.push(await time(() => answerWithModel({ model: m, question: 'how far am I?', ctx, timeoutMs: 10_000 })));
    }
    out.push(metric('agent turn with fakeModel (in-process: LangChain + tools + grounding, no HTTP; median of 30)', median(fake), 'ms'));
  } finally {
    await stub.close();
  }
}

/** What the contestant waits for: a question typed on the local chat → the offline guide's answer (bot, Redis, guide worker). */
async function chat(out: Metric[]): Promise<void> {
  const stack = await startStack({ WORKER_QUEUES: 'guide', GUIDE_MILESTONES: 'off' });
  const log = createLogger({ name: 'bench', level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const workers = await startWorkers({ config: stack.config, exam: stack.exam, store: stack.store, log });
  try {
    const [userId] = seedStations(stack.store, 1);
    const u = stack.emu.user(userId ?? 10_000, { languageCode: 'en' });
    const asked = QUESTIONS.filter((q) => !q.startsWith('/') && !q.includes('天气'));
    const runs: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of asked) {
        const before = u.messages().length;
        const t0 = performance.now();
        await u.sendText(q);
        await u.waitFor((m) => m.from.is_bot && u.messages().length > before + 1, { timeoutMs: 10_000 });
        runs.push(performance.now() - t0);
      }
    }
    out.push(metric(`local chat: question → offline guide answer (bot + queue + worker), median of ${runs.length}`, median(runs), 'ms'));
    out.push(metric('local chat: question → offline guide answer, p95', percentile(runs, 95), 'ms', 1000));
  } finally {
    await workers.close();
    await stack.close();
  }
}

export const bench: Bench = {
  name: 'guide',
  description: 'the guide: offline reply time per question, the facts read per turn, and the LLM agent’s overhead per turn against a local OpenAI-compatible stub',
  async run(): Promise<Metric[]> {
    const out: Metric[] = [];
    await offline(out);
    await facts(out);
    await agent(out);
    await chat(out);
    return out;
  },
};
