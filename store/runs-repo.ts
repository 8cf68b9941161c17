import { immediate, parseJsonObject, sqlList, toJson, type Clock, type Db } from './db-helpers.js';
import { runDir } from './layout.js';
import { ACTIVE_RUN_STATUSES, TERMINAL_RUN_STATUSES, type JsonObject, type Run, type RunKind, type RunStatus } from './types.js';

interface RunRow {
  id: string;
  station_no: string;
  seq: number;
  kind: RunKind;
  params: string;
  status: RunStatus;
  progress: string | null;
  metrics: string | null;
  dir: string;
  chat_id: number | null;
  progress_message_id: number | null;
  attempts: number;
  error: string | null;
  deployed_at: number | null;
  stop_requested_at: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface NewRun {
  stationNo: string;
  kind: RunKind;
  params: Readonly<JsonObject>;
  /** Chat that asked for the run and receives its progress, if any. */
  chatId: number | null;
}

/** `busy` carries the station's active training run when another was refused. */
export type CreateRunResult = { kind: 'created'; run: Run } | { kind: 'busy'; run: Run };

/**
 * Fields a worker or the bot may change. Keys left out are untouched; `null` clears.
 * Moving to 'running' stamps `startedAt`, and to a terminal status stamps `finishedAt`,
 * unless given explicitly or already set.
 */
export interface RunPatch {
  status?: RunStatus;
  progress?: Readonly<JsonObject> | null;
  metrics?: Readonly<JsonObject> | null;
  progressMessageId?: number | null;
  attempts?: number;
  error?: string | null;
  startedAt?: number | null;
  finishedAt?: number | null;
}

export type DeployResult = { kind: 'deployed'; run: Run } | { kind: 'not-completed'; run: Run } | { kind: 'not-found' };

/** Training and assist-model runs. */
export interface RunsRepo {
  /**
   * Queues a run named `<station>-r<N>` (training, N counts the station's training runs)
   * or `<station>-a<N>` (assist); refuses a second active training run of a station.
   * `seq` still orders all runs of a station.
   */
  create(input: NewRun): CreateRunResult;
  get(id: string): Run | undefined;
  /** The run only when it belongs to `stationNo` (refuses forged buttons). */
  getForStation(stationNo: string, id: string): Run | undefined;
  /**
   * Applies `patch`; with `onlyIfStatus`, only while the run's status is one of those
   * (so a late progress report cannot revive a stopped run). `undefined` when the run is
   * missing or the status did not match.
   */
  update(id: string, patch: RunPatch, opts?: { onlyIfStatus?: readonly RunStatus[] }): Run | undefined;
  /** Records a Stop press on an active run; the worker sees it and stops the trainer. */
  requestStop(id: string): Run | undefined;
  /** Runs of a station, newest first. */
  list(stationNo: string): Run[];
  /** The queued or running run of this kind (default 'train'), newest if several. */
  active(stationNo: string, kind?: RunKind): Run | undefined;
  /** The newest completed run, of `kind` when given. */
  latestCompleted(stationNo: string, kind?: RunKind): Run | undefined;
  /** Makes a completed run the station's deployed model (the latest deployment wins). */
  setDeployed(id: string): DeployResult;
  /** The run most recently deployed for the station. */
  deployed(stationNo: string): Run | undefined;
  /** The newest completed runs of every station, newest first (measured speeds for estimates). */
  recentCompleted(limit: number): Run[];
}

const ACTIVE = sqlList(ACTIVE_RUN_STATUSES);

/** `<station>-r<n>` for the contestant's training runs, `<station>-a<n>` for assist runs. */
export function runName(stationNo: string, kind: RunKind, n: number): string {
  return `${stationNo}-${kind === 'train' ? 'r' : 'a'}${n}`;
}
const TERMINAL = sqlList(TERMINAL_RUN_STATUSES);

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    stationNo: r.station_no,
    seq: r.seq,
    kind: r.kind,
    params: parseJsonObject(r.params, 'runs.params') ?? {},
    status: r.status,
    progress: parseJsonObject(r.progress, 'runs.progress'),
    metrics: parseJsonObject(r.metrics, 'runs.metrics'),
    dir: r.dir,
    chatId: r.chat_id,
    progressMessageId: r.progress_message_id,
    attempts: r.attempts,
    error: r.error,
    deployedAt: r.deployed_at,
    stopRequestedAt: r.stop_requested_at,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** Builds the runs repository; `dataDir` places each run's output folder. */
export function runsRepo(db: Db, now: Clock, dataDir: string): RunsRepo {
  const getStmt = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const stopStmt = db.prepare<[number, string], RunRow>(
    "UPDATE runs SET stop_requested_at = COALESCE(stop_requested_at, ?) WHERE id = ? AND status IN ('queued', 'running') RETURNING *",
  );
  const getForStationStmt = db.prepare<[string, string], RunRow>('SELECT * FROM runs WHERE id = ? AND station_no = ?');
  const nextSeqStmt = db.prepare<[string], { n: number }>(
    'SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM runs WHERE station_no = ?',
  );
  const countKindStmt = db.prepare<[string, RunKind], { n: number }>('SELECT COUNT(*) AS n FROM runs WHERE station_no = ? AND kind = ?');
  const idTakenStmt = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?');
  const insertStmt = db.prepare<[Record<string, string | number | null>], RunRow>(
    `INSERT INTO runs (id, station_no, seq, kind, params, status, dir, chat_id, created_at)
     VALUES (@id, @stationNo, @seq, @kind, @params, 'queued', @dir, @chatId, @now) RETURNING *`,
  );
  const updateStmt = db.prepare<[Record<string, string | number | null>], RunRow>(
    `UPDATE runs SET
       status = CASE WHEN @hasStatus THEN @status ELSE status END,
       progress = CASE WHEN @hasProgress THEN @progress ELSE progress END,
       metrics = CASE WHEN @hasMetrics THEN @metrics ELSE metrics END,
       progress_message_id = CASE WHEN @hasMsg THEN @progressMessageId ELSE progress_message_id END,
       attempts = CASE WHEN @hasAttempts THEN @attempts ELSE attempts END,
       error = CASE WHEN @hasError THEN @error ELSE error END,
       started_at = CASE WHEN @hasStartedAt THEN @startedAt
                         WHEN @status = 'running' AND started_at IS NULL THEN @now ELSE started_at END,
       finished_at = CASE WHEN @hasFinishedAt THEN @finishedAt
                          WHEN @status IN (${TERMINAL}) AND finished_at IS NULL THEN @now ELSE finished_at END
     WHERE id = @id AND (@from IS NULL OR status IN (SELECT value FROM json_each(@from)))
     RETURNING *`,
  );
  const listStmt = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE station_no = ? ORDER BY seq DESC');
  const activeStmt = db.prepare<[string, RunKind], RunRow>(
    `SELECT * FROM runs WHERE station_no = ? AND kind = ? AND status IN (${ACTIVE}) ORDER BY seq DESC LIMIT 1`,
  );
  const latestCompletedStmt = db.prepare<[{ stationNo: string; kind: RunKind | null }], RunRow>(
    `SELECT * FROM runs WHERE station_no = @stationNo AND (@kind IS NULL OR kind = @kind) AND status = 'completed'
     ORDER BY seq DESC LIMIT 1`,
  );
  const deployStmt = db.prepare<[number, string], RunRow>(
    "UPDATE runs SET deployed_at = ? WHERE id = ? AND status = 'completed' RETURNING *",
  );
  const deployedStmt = db.prepare<[string], RunRow>(
    'SELECT * FROM runs WHERE station_no = ? AND deployed_at IS NOT NULL ORDER BY deployed_at DESC, seq DESC LIMIT 1',
  );

  const recentCompletedStmt = db.prepare<[number], RunRow>(
    "SELECT * FROM runs WHERE status = 'completed' ORDER BY finished_at DESC, seq DESC LIMIT ?",
  );

  const one = (row: RunRow | undefined): Run | undefined => row && toRun(row);

  const create = immediate(db, (input: NewRun): CreateRunResult => {
    if (input.kind === 'train') {
      const busy = activeStmt.get(input.stationNo, 'train');
      if (busy) return { kind: 'busy', run: toRun(busy) };
    }
    const seq = nextSeqStmt.get(input.stationNo)?.n ?? 1;
    // Named per kind: assist runs never take a contestant's run number (r1, r2… are theirs).
    // Skips names already taken (databases from before this rule numbered both kinds as -r).
    let n = (countKindStmt.get(input.stationNo, input.kind)?.n ?? 0) + 1;
    while (idTakenStmt.get(runName(input.stationNo, input.kind, n))) n++;
    const id = runName(input.stationNo, input.kind, n);
    const row = insertStmt.get({
      id,
      stationNo: input.stationNo,
      seq,
      kind: input.kind,
      params: JSON.stringify(input.params),
      dir: runDir(dataDir, input.stationNo, id),
      chatId: input.chatId,
      now: now(),
    });
    if (!row) throw new Error('store: run insert returned no row; check the runs table');
    return { kind: 'created', run: toRun(row) };
  });

  const setDeployed = immediate(db, (id: string): DeployResult => {
    const row = deployStmt.get(now(), id);
    if (row) return { kind: 'deployed', run: toRun(row) };
    const run = one(getStmt.get(id));
    return run ? { kind: 'not-completed', run } : { kind: 'not-found' };
  });

  return {
    create,
    get: (id) => one(getStmt.get(id)),
    getForStation: (stationNo, id) => one(getForStationStmt.get(id, stationNo)),
    update(id, patch, opts) {
      const has = (k: keyof RunPatch): number => (patch[k] === undefined ? 0 : 1);
      const row = updateStmt.get({
        id,
        now: now(),
        from: opts?.onlyIfStatus ? JSON.stringify(opts.onlyIfStatus) : null,
        hasStatus: has('status'),
        status: patch.status ?? null,
        hasProgress: has('progress'),
        progress: toJson(patch.progress),
        hasMetrics: has('metrics'),
        metrics: toJson(patch.metrics),
        hasMsg: has('progressMessageId'),
        progressMessageId: patch.progressMessageId ?? null,
        hasAttempts: has('attempts'),
        attempts: patch.attempts ?? null,
        hasError: has('error'),
        error: patch.error ?? null,
        hasStartedAt: has('startedAt'),
        startedAt: patch.startedAt ?? null,
        hasFinishedAt: has('finishedAt'),
        finishedAt: patch.finishedAt ?? null,
      });
      return one(row);
    },
    list: (stationNo) => listStmt.all(stationNo).map(toRun),
    active: (stationNo, kind = 'train') => one(activeStmt.get(stationNo, kind)),
    latestCompleted: (stationNo, kind) => one(latestCompletedStmt.get({ stationNo, kind: kind ?? null })),
    setDeployed,
    requestStop: (id) => {
      const row = stopStmt.get(now(), id);
      return row && toRun(row);
    },
    deployed: (stationNo) => one(deployedStmt.get(stationNo)),
    recentCompleted: (limit) => recentCompletedStmt.all(limit).map(toRun),
  };
}
