import { handinFolderName, maskIdNumber } from '../core/index.js';
import { immediate, type Clock, type Db } from './db-helpers.js';
import { isSealed, type IdCipher } from './id-crypto.js';
import type { Station } from './types.js';

interface StationRow {
  station_no: string;
  contestant_name: string;
  id_number: string;
  id_masked: string;
  id_digest: string;
  created_at: number;
}

/** Fields a station can be created with. The station number is validated by the caller. */
export interface NewStation {
  stationNo: string;
  contestantName: string;
  /** The ID number, in clear or as `stations.sealId` returned it; stored sealed. */
  idNumber: string;
}

/** Fields of a station that may change after registration (`idNumber` clear or sealed). */
export type StationPatch = Partial<{ contestantName: string; idNumber: string }>;

/**
 * `created`, or `exists` when the number was already registered (left unchanged);
 * `isSameContestant` says whether the same name and ID number were given (a second
 * device of the same contestant), compared by digest, without decrypting.
 */
export type CreateStationResult =
  | { kind: 'created'; station: Station }
  | { kind: 'exists'; station: Station; isSameContestant: boolean };

/** Stations repository. */
export interface StationsRepo {
  get(stationNo: string): Station | undefined;
  /** Registers a station; an existing one is returned unchanged, never overwritten. */
  create(input: NewStation): CreateStationResult;
  /** Applies the given fields; `undefined` when there is no such station. */
  update(stationNo: string, patch: StationPatch): Station | undefined;
  /** All stations ordered by number. */
  list(): Station[];
  /** Seals an ID number for keeping elsewhere (a registration draft) until `create`. */
  sealId(idNumber: string): string;
  /** The hand-in folder name "<name><ID>": the one place an ID number is decrypted. */
  handinFolderName(stationNo: string): string | undefined;
}

function toStation(r: StationRow): Station {
  return { stationNo: r.station_no, contestantName: r.contestant_name, idMasked: r.id_masked, createdAt: r.created_at };
}

/**
 * Seals the ID numbers still in clear (rows written before migration 5) and registration
 * drafts holding one; idempotent, in one transaction.
 */
export function sealClearIds(db: Db, cipher: IdCipher): number {
  const rows = db.prepare<[], StationRow>('SELECT * FROM stations').all().filter((r) => !isSealed(r.id_number));
  const drafts = db
    .prepare<[], { user_id: number; wizard: string }>(`SELECT user_id, wizard FROM users WHERE wizard LIKE '%"id":"%'`)
    .all();
  const setStation = db.prepare('UPDATE stations SET id_number = ?, id_masked = ?, id_digest = ? WHERE station_no = ?');
  const setWizard = db.prepare('UPDATE users SET wizard = ? WHERE user_id = ?');
  let sealed = 0;
  immediate(db, () => {
    for (const r of rows) {
      setStation.run(cipher.seal(r.id_number), maskIdNumber(r.id_number), cipher.digest(r.id_number), r.station_no);
      sealed++;
    }
    for (const d of drafts) {
      const w = JSON.parse(d.wizard) as { draft?: { id?: unknown } };
      if (w.draft && typeof w.draft.id === 'string' && !isSealed(w.draft.id)) {
        w.draft.id = cipher.seal(w.draft.id);
        setWizard.run(JSON.stringify(w), d.user_id);
        sealed++;
      }
    }
  })();
  return sealed;
}

/** Builds the stations repository over an open, migrated database. */
export function stationsRepo(db: Db, now: Clock, cipher: IdCipher): StationsRepo {
  const getStmt = db.prepare<[string], StationRow>('SELECT * FROM stations WHERE station_no = ?');
  const insertStmt = db.prepare<[Record<string, string | number>], StationRow>(
    `INSERT INTO stations (station_no, contestant_name, id_number, id_masked, id_digest, created_at)
     VALUES (@stationNo, @contestantName, @sealed, @masked, @digest, @now)
     ON CONFLICT (station_no) DO NOTHING RETURNING *`,
  );
  const updateStmt = db.prepare<[Record<string, string | number | null>], StationRow>(
    `UPDATE stations SET
       contestant_name = CASE WHEN @hasName THEN @contestantName ELSE contestant_name END,
       id_number = CASE WHEN @hasId THEN @sealed ELSE id_number END,
       id_masked = CASE WHEN @hasId THEN @masked ELSE id_masked END,
       id_digest = CASE WHEN @hasId THEN @digest ELSE id_digest END
     WHERE station_no = @stationNo RETURNING *`,
  );
  const listStmt = db.prepare<[], StationRow>('SELECT * FROM stations ORDER BY station_no');
  const idFields = (idNumber: string) => {
    const plain = isSealed(idNumber) ? cipher.open(idNumber) : idNumber;
    return { sealed: cipher.seal(plain), masked: maskIdNumber(plain), digest: cipher.digest(plain) };
  };

  return {
    get(stationNo) {
      const row = getStmt.get(stationNo);
      return row && toStation(row);
    },
    create(input) {
      const id = idFields(input.idNumber);
      const inserted = insertStmt.get({ stationNo: input.stationNo, contestantName: input.contestantName, ...id, now: now() });
      if (inserted) return { kind: 'created', station: toStation(inserted) };
      const existing = getStmt.get(input.stationNo);
      if (!existing) throw new Error('store: station insert conflicted but no row exists; check the stations table');
      const isSameContestant = existing.contestant_name === input.contestantName && existing.id_digest === id.digest;
      return { kind: 'exists', station: toStation(existing), isSameContestant };
    },
    update(stationNo, patch) {
      const id = patch.idNumber === undefined ? undefined : idFields(patch.idNumber);
      const row = updateStmt.get({
        stationNo,
        hasName: patch.contestantName === undefined ? 0 : 1,
        contestantName: patch.contestantName ?? null,
        hasId: id ? 1 : 0,
        sealed: id?.sealed ?? null,
        masked: id?.masked ?? null,
        digest: id?.digest ?? null,
      });
      return row && toStation(row);
    },
    list() {
      return listStmt.all().map(toStation);
    },
    sealId: (idNumber) => cipher.seal(idNumber),
    handinFolderName(stationNo) {
      const row = getStmt.get(stationNo);
      return row && handinFolderName(row.contestant_name, isSealed(row.id_number) ? cipher.open(row.id_number) : row.id_number);
    },
  };
}
