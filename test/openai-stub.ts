import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for the guide's wiring tests and bench: `GET /v1/models`
 * and `POST /v1/chat/completions` in the real wire format (tool calls included, non-streaming).
 * What it answers is decided per request by `reply`, from the request body; every body is
 * kept so a test can check what the model was sent (e.g. that no ID number left the machine).
 */
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content?: string | null; tool_calls?: unknown[]; tool_call_id?: string; name?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  stream?: boolean;
  [k: string]: unknown;
}

export type StubReply =
  | { kind: 'tools'; calls: Array<{ name: string; args: Record<string, unknown> | string }> }
  | { kind: 'text'; text: string }
  | { kind: 'status'; status: number; message: string }
  | { kind: 'delay'; ms: number; then: StubReply };

export interface OpenAiStub {
  baseUrl: string;
  /** Every chat request body received, in order. */
  requests: ChatRequest[];
  /** Raw bodies as received (for "never sent" checks). */
  raw: string[];
  close(): Promise<void>;
}

export async function startOpenAiStub(opts: { models?: string[]; reply: (req: ChatRequest, n: number) => StubReply }): Promise<OpenAiStub> {
  const requests: ChatRequest[] = [];
  const raw: string[] = [];
  let callId = 0;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const answer = async (res: ServerResponse, req: ChatRequest, r: StubReply): Promise<void> => {
    if (r.kind === 'delay') {
      await new Promise((ok) => setTimeout(ok, r.ms));
      return answer(res, req, r.then);
    }
    if (r.kind === 'status') return send(res, r.status, { error: { message: r.message, type: 'stub_error', code: null } });
    const message =
      r.kind === 'text'
        ? { role: 'assistant', content: r.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: r.calls.map((c) => ({ id: `call_${++callId}`, type: 'function', function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) } })),
          };
    send(res, 200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: [{ index: 0, message, finish_reason: r.kind === 'text' ? 'stop' : 'tool_calls', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET' && req.url === '/v1/models') {
        return send(res, 200, { object: 'list', data: (opts.models ?? ['stub-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'stub' })) });
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        raw.push(body);
        const parsed = JSON.parse(body) as ChatRequest;
        requests.push(parsed);
        void answer(res, parsed, opts.reply(parsed, requests.length));
        return;
      }
      send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    raw,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The last user message of a request (what the contestant asked). */
export function lastUserText(req: ChatRequest): string {
  return [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/** Whether the request already carries tool results (the model's second round). */
export function hasToolResults(req: ChatRequest): boolean {
  const lastUser = req.messages.map((m) => m.role).lastIndexOf('user');
  return req.messages.slice(lastUser).some((m) => m.role === 'tool');
}
