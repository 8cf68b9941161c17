import { parseJsonObject, toJson, type Clock, type Db } from './db-helpers.js';
import type { Lang, Role, User, Wizard } from './types.js';

interface UserRow {
  user_id: number;
  chat_id: number;
  station_no: string | null;
  role: Role;
  lang: Lang;
  active_combo: string | null;
  wizard: string | null;
  created_at: number;
  updated_at: number;
}

/** Identity of a Telegram user as seen on an update. */
export interface UpsertUser {
  userId: number;
  chatId: number;
  /** Applied when given; a new user defaults to 'zh'. */
  lang?: Lang;
}

/** Users repository. Every setter returns the updated user, or `undefined` when unknown. */
export interface UsersRepo {
  get(userId: number): User | undefined;
  /** Creates the user or refreshes its chat id (and language when given). */
  upsert(input: UpsertUser): User;
  setLang(userId: number, lang: Lang): User | undefined;
  /** Stores (or with `null` clears) the in-progress dialog. */
  setWizard(userId: number, wizard: Wizard | null): User | undefined;
  /** Lets the user act for a station in a role; the station must exist (foreign key). */
  /** Binds the user to a station (a contestant) or to none (a proctor watches every station). */
  bindStation(userId: number, stationNo: string | null, role: Role): User | undefined;
  setActiveCombo(userId: number, combo: string | null): User | undefined;
  /** Users bound to a station, oldest first. */
  listByStation(stationNo: string): User[];
}

function toWizard(text: string | null): Wizard | null {
  const obj = parseJsonObject(text, 'users.wizard');
  if (obj === null) return null;
  const { step, draft } = obj;
  if (typeof step !== 'string' || typeof draft !== 'object' || draft === null || Array.isArray(draft)) {
    throw new Error('store: users.wizard is not { step: string, draft: object }; clear it with users.setWizard(id, null)');
  }
  return { step, draft: draft as Record<string, unknown> };
}

function toUser(r: UserRow): User {
  return {
    userId: r.user_id,
    chatId: r.chat_id,
    stationNo: r.station_no,
    role: r.role,
    lang: r.lang,
    activeCombo: r.active_combo,
    wizard: toWizard(r.wizard),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Builds the users repository over an open, migrated database. */
export function usersRepo(db: Db, now: Clock): UsersRepo {
  const getStmt = db.prepare<[number], UserRow>('SELECT * FROM users WHERE user_id = ?');
  const upsertStmt = db.prepare<[{ userId: number; chatId: number; lang: Lang | null; now: number }], UserRow>(
    `INSERT INTO users (user_id, chat_id, lang, created_at, updated_at)
     VALUES (@userId, @chatId, COALESCE(@lang, 'zh'), @now, @now)
     ON CONFLICT (user_id) DO UPDATE SET
       chat_id = excluded.chat_id,
       lang = COALESCE(@lang, users.lang),
       updated_at = excluded.updated_at
     RETURNING *`,
  );
  const setLangStmt = db.prepare<[Lang, number, number], UserRow>(
    'UPDATE users SET lang = ?, updated_at = ? WHERE user_id = ? RETURNING *',
  );
  const setWizardStmt = db.prepare<[string | null, number, number], UserRow>(
    'UPDATE users SET wizard = ?, updated_at = ? WHERE user_id = ? RETURNING *',
  );
  const bindStmt = db.prepare<[string | null, Role, number, number], UserRow>(
    'UPDATE users SET station_no = ?, role = ?, updated_at = ? WHERE user_id = ? RETURNING *',
  );
  const setComboStmt = db.prepare<[string | null, number, number], UserRow>(
    'UPDATE users SET active_combo = ?, updated_at = ? WHERE user_id = ? RETURNING *',
  );
  const byStationStmt = db.prepare<[string], UserRow>(
    'SELECT * FROM users WHERE station_no = ? ORDER BY created_at, user_id',
  );

  const one = (row: UserRow | undefined): User | undefined => row && toUser(row);

  return {
    get: (userId) => one(getStmt.get(userId)),
    upsert(input) {
      const row = upsertStmt.get({ userId: input.userId, chatId: input.chatId, lang: input.lang ?? null, now: now() });
      if (!row) throw new Error('store: users upsert returned no row; check the users table');
      return toUser(row);
    },
    setLang: (userId, lang) => one(setLangStmt.get(lang, now(), userId)),
    setWizard: (userId, wizard) => one(setWizardStmt.get(toJson(wizard), now(), userId)),
    bindStation: (userId, stationNo, role) => one(bindStmt.get(stationNo, role, now(), userId)),
    setActiveCombo: (userId, combo) => one(setComboStmt.get(combo, now(), userId)),
    listByStation: (stationNo) => byStationStmt.all(stationNo).map(toUser),
  };
}
