/**
 * The Telegram Bot API objects the emulator stores and returns, in Telegram's own JSON
 * shape (snake_case). They are deliberately looser than `@telegraf/types`: the emulator
 * builds them field by field and tests read them back, so one flat `Message` with
 * optional parts is easier to work with than Telegram's union of message kinds.
 */

/** A Telegram user or bot account. */
export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A chat. The emulator only models private chats, whose id equals the user's id. */
export interface TgChat {
  id: number;
  type: 'private';
  first_name: string;
  username?: string;
}

/** One size of a photo; the emulator keeps one size: the bytes as uploaded. */
export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  /** Pixels, read from the PNG/JPEG header; 0 when the format is not recognised. */
  width: number;
  height: number;
  /** Bytes. */
  file_size: number;
}

/** A general file sent as a document. */
export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  /** Bytes. */
  file_size: number;
}

/** A Telegram text entity, e.g. the `bot_command` of `/start`. Offsets are UTF-16 units. */
export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

/** One inline keyboard button: exactly one of the action fields is set. */
export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  web_app?: { url: string };
  [other: string]: unknown;
}

/** The only kind of markup Telegram attaches to a message. */
export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

/** A reply keyboard shown under the user's text box (not attached to a message). */
export interface ReplyKeyboardMarkup {
  keyboard: Array<Array<{ text: string; [other: string]: unknown }>>;
  is_persistent?: boolean;
  resize_keyboard?: boolean;
  one_time_keyboard?: boolean;
  input_field_placeholder?: string;
}

/**
 * A message as Telegram returns it, plus `parse_mode`, which Telegram does not return:
 * the emulator stores text and captions exactly as the bot sent them (HTML tags and
 * all), so `parse_mode` says how to read them (see `plainText`).
 */
export interface Message {
  message_id: number;
  from: TgUser;
  chat: TgChat;
  /** Unix seconds. */
  date: number;
  /** Unix seconds of the last edit, when edited. */
  edit_date?: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  entities?: MessageEntity[];
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: TgDocument;
  media_group_id?: string;
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: Message;
}

/** A press of an inline button, as delivered to the bot. */
export interface CallbackQuery {
  id: string;
  from: TgUser;
  message?: Message;
  chat_instance: string;
  data?: string;
}

/** One item of `getUpdates`. */
export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  callback_query?: CallbackQuery;
}

/** What the bot answered to a callback query: the toast (or alert) the user saw. */
export interface CallbackAnswer {
  callbackQueryId: string;
  /** The user who pressed. */
  userId: number;
  text?: string;
  showAlert: boolean;
  url?: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A command of the bot's menu (`setMyCommands`). */
export interface BotCommand {
  command: string;
  description: string;
}

/** One Bot API call the bot made, for assertions. File bytes are not kept here. */
export interface ApiCall {
  /** The method name as the bot spelled it, e.g. `sendMessage`. */
  method: string;
  params: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  at: number;
}
