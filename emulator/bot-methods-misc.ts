import { badRequest } from './api-error.js';
import { scopeKey } from './emulator-state.js';
import type { MethodContext, MethodHandler } from './method-context.js';
import { MAX_DOWNLOAD_BYTES } from './outgoing.js';
import type { BotCommand, CallbackAnswer, Update } from './types.js';

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

function getMe({ state }: MethodContext): unknown {
  return { ...state.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
}

function getUpdates({ state, params, onCancel }: MethodContext): Promise<Update[]> {
  const allowed = params.json('allowed_updates', 'allowed updates JSON array');
  const request: Parameters<typeof state.updates.get>[0] = {};
  const offset = params.int('offset');
  const limit = params.int('limit');
  const timeout = params.int('timeout');
  if (offset !== undefined) request.offset = offset;
  if (limit !== undefined) request.limit = limit;
  if (timeout !== undefined) request.timeoutSec = timeout;
  if (Array.isArray(allowed)) request.allowedUpdates = allowed.map(String);
  return state.updates.get(request, onCancel);
}

async function deleteWebhook({ state, params }: MethodContext): Promise<true> {
  await state.setWebhook(undefined);
  if (params.bool('drop_pending_updates') === true) state.updates.dropPending();
  return true;
}

function getWebhookInfo({ state }: MethodContext): unknown {
  const hook = state.webhook;
  return {
    url: hook?.settings.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.updates.size,
    ...(hook?.lastError ? { last_error_date: hook.lastError.date, last_error_message: hook.lastError.message } : {}),
  };
}

/**
 * Webhook delivery, as Telegram does it (POST each update as JSON, the secret in
 * `X-Telegram-Bot-Api-Secret-Token`, retry until a 2xx). Plain http is accepted: the
 * emulator is local (Telegram insists on https).
 */
async function setWebhook({ state, params }: MethodContext): Promise<true> {
  const url = params.string('url') ?? '';
  if (url === '') {
    await state.setWebhook(undefined);
    return true;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: invalid webhook URL specified');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: unsupported URL protocol');
  const secret = params.string('secret_token');
  if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('bad webhook: secret token contains unallowed characters');
  if (params.bool('drop_pending_updates') === true) state.updates.dropPending();
  await state.setWebhook({ url, ...(secret ? { secretToken: secret } : {}) });
  return true;
}

function readCommands(ctx: MethodContext): BotCommand[] {
  const raw = ctx.params.json('commands', 'commands JSON object');
  if (!Array.isArray(raw)) throw badRequest('parameter "commands" is required');
  if (raw.length > 100) throw badRequest('too much commands specified');
  return raw.map((c: unknown) => {
    const cmd = c as Partial<BotCommand> | null;
    if (typeof cmd?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof cmd.description !== 'string' || cmd.description.trim() === '' || cmd.description.length > 256) {
      throw badRequest('command description is empty');
    }
    return { command: cmd.command, description: cmd.description };
  });
}

function commandsKey({ params }: MethodContext): string {
  return scopeKey(params.json('scope', 'BotCommandScope JSON object'), params.string('language_code'));
}

function setMyCommands(ctx: MethodContext): true {
  const commands = readCommands(ctx);
  ctx.state.commands.set(commandsKey(ctx), commands);
  return true;
}

function getMyCommands(ctx: MethodContext): BotCommand[] {
  return ctx.state.commands.get(commandsKey(ctx)) ?? [];
}

function deleteMyCommands(ctx: MethodContext): true {
  ctx.state.commands.delete(commandsKey(ctx));
  return true;
}

function answerCallbackQuery({ state, params }: MethodContext): true {
  const id = params.string('callback_query_id') ?? '';
  const pending = state.pendingCallbacks.get(id);
  if (!pending) throw badRequest('query is too old and response timeout expired or query ID is invalid');
  state.pendingCallbacks.delete(id);
  const answer: CallbackAnswer = {
    callbackQueryId: id,
    userId: pending.userId,
    showAlert: params.bool('show_alert') === true,
    at: Date.now(),
  };
  const text = params.string('text');
  const url = params.string('url');
  if (text !== undefined && text !== '') answer.text = text;
  if (url !== undefined) answer.url = url;
  state.addCallbackAnswer(answer, pending.chatId);
  return true;
}

function getFile({ state, params }: MethodContext): unknown {
  const file = state.files.get(params.string('file_id') ?? '');
  if (!file) throw badRequest('invalid file_id');
  if (file.size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
  return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
}

function sendChatAction({ state, params }: MethodContext): true {
  const chat = state.chats.require(params.chatId());
  const action = params.string('action') ?? '';
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  chat.lastChatAction = action;
  return true;
}

function setChatMenuButton({ state, params }: MethodContext): true {
  const button = params.json('menu_button', 'menu button JSON object') ?? { type: 'default' };
  if (params.has('chat_id')) state.chats.require(params.chatId()).menuButton = button;
  else state.settings.set('menu_button', button);
  return true;
}

function getChatMenuButton({ state, params }: MethodContext): unknown {
  const chatButton = params.has('chat_id') ? state.chats.require(params.chatId()).menuButton : undefined;
  return chatButton ?? state.settings.get('menu_button') ?? { type: 'commands' };
}

function getChat({ state, params }: MethodContext): unknown {
  const chat = state.chats.require(params.chatId());
  return { ...chat.chat, accent_color_id: 0, max_reaction_count: 11 };
}

/** Stores a bot profile setting such as `setMyDescription` under its parameter name. */
function storeSetting(param: string): MethodHandler {
  return ({ state, params }) => {
    const lang = params.string('language_code') ?? '';
    state.settings.set(`${param}|${lang}`, params.string(param) ?? '');
    return true;
  };
}

/** Identity, updates, webhook, commands, callbacks, files, chat actions and settings. */
export const miscMethods: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  deleteWebhook,
  getWebhookInfo,
  setWebhook,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
  getFile,
  sendChatAction,
  setChatMenuButton,
  getChatMenuButton,
  getChat,
  setMyDescription: storeSetting('description'),
  setMyShortDescription: storeSetting('short_description'),
  setMyName: storeSetting('name'),
  logOut: () => true,
  close: () => true,
};
