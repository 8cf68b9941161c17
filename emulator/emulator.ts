import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleBotApi, handleFileDownload, sendJson } from './bot-api.js';
import { keepHistory, loadHistory } from './chat-history.js';
import { handleChatApi } from './chat-page-api.js';
import { isOwnHost, newSessionToken, requestSession } from './chat-session.js';
import { serveChatPage } from './chat-page.js';
import { EmulatorState, scopeKey } from './emulator-state.js';
import { FileStore } from './file-store.js';
import { DEFAULT_WAIT_MS, TestUser, waitForMessageState, type WaitOptions } from './test-user.js';
import type { ApiCall, BotCommand, CallbackAnswer, Message, TgUser } from './types.js';
import { toTgUser, type UserProfile } from './user-actions.js';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (the page needs no token: keep it local). */
  host?: string;
  /** The token the bot must use; requests with another get 401. */
  token: string;
  /** `getMe().username`; default `emulator_bot`. */
  botUsername?: string;
  /** `getMe().first_name`; default `Emulator Bot`. */
  botName?: string;
  /**
   * Where uploaded files are kept; default a fresh temp folder, removed on `close()`. A given
   * folder also keeps the chat history (`chat-history.json`), so a restarted emulator shows
   * the old conversations.
   */
  filesDir?: string;
  /** Default timeout of the test client's waits, in milliseconds; default 5000. */
  defaultTimeoutMs?: number;
  /** Bytes a bot request may carry before it gets a 413; default 50 MB, as on Telegram. */
  maxUploadBytes?: number;
}

/** Options of `Emulator.user`. */
export type TestUserOptions = Omit<UserProfile, 'id'>;

/** The bot's user id: the number before `:` in the token, as on Telegram. */
function botIdFromToken(token: string): number {
  const n = Number(token.split(':')[0]);
  return Number.isSafeInteger(n) && n > 0 ? n : 1_000_000_001;
}

/**
 * A running local Telegram Bot API: point telegraf at `apiRoot`, drive it with
 * `user(id)`, or open `chatUrl` in a browser.
 */
export class Emulator {
  /** Pass as telegraf's `telegram.apiRoot`, e.g. `http://127.0.0.1:41234`. */
  readonly apiRoot: string;
  /** The browser chat page. */
  readonly chatUrl: string;
  private readonly users = new Map<number, TestUser>();

  constructor(
    private readonly state: EmulatorState,
    private readonly server: Server,
    baseUrl: string,
    private readonly removeOnClose: string | undefined,
    private readonly defaultTimeoutMs: number,
    private readonly flushHistory: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.apiRoot = baseUrl;
    this.chatUrl = `${baseUrl}/chat`;
  }

  /** The bot account, as `getMe` returns it. */
  get bot(): TgUser {
    return { ...this.state.bot };
  }

  /** A simulated user (same object for the same id); its chat exists from now on. */
  user(id: number, opts: TestUserOptions = {}): TestUser {
    const existing = this.users.get(id);
    if (existing) return existing;
    const user = new TestUser(this.state, toTgUser({ id, ...opts }), this.defaultTimeoutMs);
    this.users.set(id, user);
    return user;
  }

  /** Names of the Bot API methods the bot called, in order. */
  get callLog(): readonly string[] {
    return this.state.calls.map((c) => c.method);
  }

  /** The Bot API calls with their parameters (uploaded bytes excluded), in order. */
  get calls(): readonly ApiCall[] {
    return this.state.calls;
  }

  /**
   * The first call of `method` at index `since` (default 0) of the call log or later,
   * waiting for it if needed. `since: emulator.callLog.length` waits for a new call.
   */
  waitForCall(method: string, opts: WaitOptions & { since?: number } = {}): Promise<ApiCall> {
    return this.state.waitForCall(method, opts.timeoutMs ?? this.defaultTimeoutMs, opts.since ?? 0);
  }

  /**
   * Message `messageId` of chat `chatId` once its current state satisfies `predicate`,
   * e.g. after the bot edits it. Edits do not go to the inbox; wait for them here.
   */
  waitForEdit(chatId: number, messageId: number, predicate: (m: Message) => boolean, opts: WaitOptions = {}): Promise<Message> {
    return waitForMessageState(this.state, chatId, messageId, predicate, opts.timeoutMs ?? this.defaultTimeoutMs);
  }

  /** The command list set with `setMyCommands` for a scope (default scope) and language. */
  commands(opts: { scope?: Record<string, unknown>; languageCode?: string } = {}): BotCommand[] {
    return [...(this.state.commands.get(scopeKey(opts.scope, opts.languageCode)) ?? [])];
  }

  /** Every answer the bot gave to a callback query, oldest first. */
  get callbackAnswers(): readonly CallbackAnswer[] {
    return this.state.callbackAnswers;
  }

  /** Updates not yet confirmed by the bot through `getUpdates`' offset. */
  get pendingUpdateCount(): number {
    return this.state.updates.size;
  }

  /** Ends pending long polls, stops the server and removes the temp files folder it made. */
  async close(): Promise<void> {
    await this.state.setWebhook(undefined);
    this.state.updates.close();
    this.state.chats.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.flushHistory();
    if (this.removeOnClose) await rm(this.removeOnClose, { recursive: true, force: true });
  }
}

function route(state: EmulatorState, token: string, port: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const fail = (): void => sendJson(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    // The page and its API answer only under our own host (no DNS rebinding).
    if ((path === '/' || path.startsWith('/chat')) && !isOwnHost(req.headers.host, port())) {
      req.resume();
      sendJson(res, 421, { ok: false, error: 'unknown host' });
      return;
    }
    if (path.startsWith('/bot')) {
      handleBotApi(req, res, path, state, token).catch(fail);
    } else if (path.startsWith('/file/bot')) {
      handleFileDownload(req, res, path, state, token);
    } else if (path.startsWith('/chat/api/')) {
      handleChatApi(req, res, url, state).catch(fail);
    } else if ((path === '/chat' || path === '/chat/') && req.method === 'GET') {
      req.resume();
      // A browser keeps its session; a new one gets a fresh token, bound on `POST session`.
      serveChatPage(res, requestSession(req) === undefined ? newSessionToken() : undefined);
    } else if (path === '/' && req.method === 'GET') {
      req.resume();
      res.writeHead(302, { location: '/chat' }).end();
    } else {
      req.resume();
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  };
}

/**
 * Starts a local, in-memory Telegram Bot API on `host:port`, so the unchanged telegraf
 * bot runs offline (`new Telegraf(token, { telegram: { apiRoot: emulator.apiRoot } })`).
 * State lives in memory and files in `filesDir`: a test and demo double, not a server.
 */
export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  if (!opts.token) throw new Error('startEmulator needs the token the bot will use (any non-empty string)');
  const madeDir = opts.filesDir === undefined ? await mkdtemp(join(tmpdir(), 'tg-emulator-')) : undefined;
  const files = new FileStore(opts.filesDir ?? madeDir ?? '');
  const username = opts.botUsername ?? 'emulator_bot';
  const bot: TgUser = { id: botIdFromToken(opts.token), is_bot: true, first_name: opts.botName ?? 'Emulator Bot', username };
  const state = new EmulatorState(bot, files, opts.maxUploadBytes);
  let flushHistory: (() => Promise<void>) | undefined;
  if (opts.filesDir !== undefined) {
    await loadHistory(state, opts.filesDir);
    flushHistory = keepHistory(state, opts.filesDir);
  }
  let listening = 0;
  const server = createServer(route(state, opts.token, () => listening));
  // Long polls last up to 50 s; keep Node's request timeout out of their way.
  server.requestTimeout = 0;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  listening = port;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return new Emulator(state, server, `http://${publicHost}:${port}`, madeDir, opts.defaultTimeoutMs ?? DEFAULT_WAIT_MS, flushHistory);
}
