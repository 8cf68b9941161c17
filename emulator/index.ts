/**
 * A local Telegram Bot API emulator: the unchanged telegraf bot runs against it
 * offline, tests drive it as simulated users, and people without Telegram use its
 * browser chat page. See README.md.
 */
export { startEmulator, Emulator, type EmulatorOptions, type TestUserOptions } from './emulator.js';
export { TestUser, DEFAULT_WAIT_MS, type ButtonMatcher, type FileRef, type WaitOptions } from './test-user.js';
export { commandEntities, toTgUser, type AlbumItem, type UserProfile } from './user-actions.js';
export { ApiError, NOT_MODIFIED } from './api-error.js';
export { imageSize, type ImageSize } from './image-size.js';
export { plainText, messagePlainText, validateTelegramHtml } from './telegram-html.js';
export { UpdateQueue, type GetUpdatesRequest } from './update-queue.js';
export { SUPPORTED_METHODS } from './bot-api.js';
export { MAX_UPLOAD_BYTES } from './request-body.js';
export { MAX_CALLBACK_DATA_BYTES, MAX_CAPTION_LENGTH, MAX_DOWNLOAD_BYTES, MAX_TEXT_LENGTH } from './outgoing.js';
export type {
  ApiCall,
  BotCommand,
  CallbackAnswer,
  CallbackQuery,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  PhotoSize,
  ReplyKeyboardMarkup,
  TgChat,
  TgDocument,
  TgUser,
  Update,
} from './types.js';
