import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import type { Config, Logger } from '../core/index.js';

/**
 * The guide's model: any OpenAI-compatible endpoint (a hosted model, llama.cpp's
 * `llama-server`, Ollama's `/v1`) through LangChain's ChatOpenAI. Never `streaming: true`:
 * streaming counts tokens with a tokenizer it downloads, which stalls offline. No retries
 * inside the client: a failure falls back to the offline guide at once, the turn's own
 * timeout bounds the wait.
 */
export function createGuideModel(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'GUIDE_TIMEOUT_MS'>): ChatOpenAI | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  return new ChatOpenAI({
    model: config.OPENAI_MODEL,
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL ? { configuration: { baseURL: config.OPENAI_BASE_URL } } : {}),
    streaming: false,
    streamUsage: false,
    useResponsesApi: false,
    maxRetries: 0,
    timeout: config.GUIDE_TIMEOUT_MS,
    temperature: 0,
  });
}

export type EndpointCheck = { kind: 'off' } | { kind: 'ok'; models: number } | { kind: 'model-missing'; available: string[] } | { kind: 'unreachable'; error: string };

/**
 * Start-up check of the endpoint with the `openai` client: the model list answers and holds
 * `OPENAI_MODEL`. Logs one clear line either way; never throws (the guide falls back per turn).
 */
export async function checkGuideEndpoint(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>, log: Logger, timeoutMs = 5000): Promise<EndpointCheck> {
  if (!config.OPENAI_API_KEY) {
    log.info('guide: no OPENAI_API_KEY, the offline guide answers');
    return { kind: 'off' };
  }
  const endpoint = config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  try {
    const client = new OpenAI({ apiKey: config.OPENAI_API_KEY, ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}), maxRetries: 0, timeout: timeoutMs });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    if (!ids.includes(config.OPENAI_MODEL)) {
      log.error({ endpoint, model: config.OPENAI_MODEL, available: ids.slice(0, 20) }, 'guide: OPENAI_MODEL is not served by OPENAI_BASE_URL; set it to one of the available models (the offline guide answers until then)');
      return { kind: 'model-missing', available: ids };
    }
    log.info({ endpoint, model: config.OPENAI_MODEL }, 'guide: LLM endpoint answers and serves the model');
    return { kind: 'ok', models: ids.length };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    log.error({ endpoint, model: config.OPENAI_MODEL, error }, 'guide: the LLM endpoint does not answer; check OPENAI_BASE_URL and OPENAI_API_KEY (the offline guide answers meanwhile)');
    return { kind: 'unreachable', error };
  }
}
