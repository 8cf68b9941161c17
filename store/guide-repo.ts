import { immediate, type Clock, type Db } from './db-helpers.js';
import type { Lang } from './types.js';

/**
 * The guide's state (issue 15): the station's exam clock, the milestones already announced
 * and each chat's conversation memory. All of it is in SQLite so a restart of any process
 * keeps the countdown, never repeats a milestone and remembers the conversation.
 */

/** Messages kept per chat; older ones are deleted as new ones arrive. */
export const GUIDE_MEMORY_KEEP = 20;
/** Characters kept of one remembered message. */
export const GUIDE_MEMORY_CHARS = 800;

export interface ExamClock {
  stationNo: string;
  /** ms since the epoch. */
  startedAt: number;
  durationMin: number;
  /** The chat the reminders go to, in `lang`. */
  chatId: number;
  lang: Lang;
  /** Checkpoints (minutes) already handled: told or skipped. */
  told: number[];
}

export type StartClockResult = { kind: 'started'; clock: ExamClock } | { kind: 'running'; clock: ExamClock } | { kind: 'no-station' };

export interface MemoryMessage {
  role: 'user' | 'assistant';
  text: string;
  at: number;
}

export interface GuideRepo {
  /** Starts the station's countdown unless one exists (a second /timer never restarts it). */
  startClock(stationNo: string, durationMin: number, chatId: number, lang: Lang): StartClockResult;
  clock(stationNo: string): ExamClock | undefined;
  /** Every station's clock (the reminder sweep). */
  clocks(): ExamClock[];
  /** Marks checkpoint `minute` handled; true only for the call that marked it (so it is told once). */
  markCheckpoint(stationNo: string, minute: number): boolean;
  /** Records milestone `key` as announced; true only the first time. */
  markMilestone(stationNo: string, key: string): boolean;
  /** The milestones announced for the station. */
  milestones(stationNo: string): string[];
  /** Appends to the chat's memory, keeping the newest {@link GUIDE_MEMORY_KEEP}. */
  remember(chatId: number, role: MemoryMessage['role'], text: string): void;
  /** The chat's remembered messages, oldest first. */
  memory(chatId: number): MemoryMessage[];
}

interface ClockRow {
  station_no: string;
  started_at: number;
  duration_min: number;
  chat_id: number;
  lang: Lang;
  told: string;
}

const toClock = (r: ClockRow): ExamClock => ({
  stationNo: r.station_no,
  startedAt: r.started_at,
  durationMin: r.duration_min,
  chatId: r.chat_id,
  lang: r.lang,
  told: (JSON.parse(r.told) as unknown[]).filter((n): n is number => typeof n === 'number'),
});

/** Builds the guide repository. */
export function guideRepo(db: Db, now: Clock): GuideRepo {
  const stationStmt = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM stations WHERE station_no = ?');
  const getClock = db.prepare<[string], ClockRow>('SELECT * FROM exam_clocks WHERE station_no = ?');
  const allClocks = db.prepare<[], ClockRow>('SELECT * FROM exam_clocks ORDER BY station_no');
  const insertClock = db.prepare<[string, number, number, number, Lang]>(
    'INSERT INTO exam_clocks (station_no, started_at, duration_min, chat_id, lang) VALUES (?, ?, ?, ?, ?) ON CONFLICT(station_no) DO NOTHING',
  );
  const setTold = db.prepare<[string, string]>('UPDATE exam_clocks SET told = ? WHERE station_no = ?');
  const insertMilestone = db.prepare<[string, string, number]>(
    'INSERT INTO guide_milestones (station_no, milestone, said_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const listMilestones = db.prepare<[string], { milestone: string }>('SELECT milestone FROM guide_milestones WHERE station_no = ? ORDER BY said_at, milestone');
  const insertMemory = db.prepare<[number, string, string, number]>('INSERT INTO guide_memory (chat_id, role, text, at) VALUES (?, ?, ?, ?)');
  const trimMemory = db.prepare<[number, number, number]>(
    'DELETE FROM guide_memory WHERE chat_id = ? AND id NOT IN (SELECT id FROM guide_memory WHERE chat_id = ? ORDER BY id DESC LIMIT ?)',
  );
  const listMemory = db.prepare<[number, number], { role: 'user' | 'assistant'; text: string; at: number }>(
    'SELECT role, text, at FROM (SELECT id, role, text, at FROM guide_memory WHERE chat_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id',
  );

  const start = immediate(db, (stationNo: string, durationMin: number, chatId: number, lang: Lang): StartClockResult => {
    if (!stationStmt.get(stationNo)) return { kind: 'no-station' };
    const added = insertClock.run(stationNo, now(), durationMin, chatId, lang).changes === 1;
    const row = getClock.get(stationNo);
    if (!row) return { kind: 'no-station' };
    return { kind: added ? 'started' : 'running', clock: toClock(row) };
  });
  const mark = immediate(db, (stationNo: string, minute: number): boolean => {
    const row = getClock.get(stationNo);
    if (!row) return false;
    const told = toClock(row).told;
    if (told.includes(minute)) return false;
    setTold.run(JSON.stringify([...told, minute].sort((a, b) => a - b)), stationNo);
    return true;
  });
  const remember = immediate(db, (chatId: number, role: MemoryMessage['role'], text: string) => {
    insertMemory.run(chatId, role, text.slice(0, GUIDE_MEMORY_CHARS), now());
    trimMemory.run(chatId, chatId, GUIDE_MEMORY_KEEP);
  });

  return {
    startClock: start,
    clock: (stationNo) => {
      const row = getClock.get(stationNo);
      return row ? toClock(row) : undefined;
    },
    clocks: () => allClocks.all().map(toClock),
    markCheckpoint: mark,
    markMilestone: (stationNo, key) => insertMilestone.run(stationNo, key, now()).changes === 1,
    milestones: (stationNo) => listMilestones.all(stationNo).map((r) => r.milestone),
    remember,
    memory: (chatId) => listMemory.all(chatId, GUIDE_MEMORY_KEEP),
  };
}
