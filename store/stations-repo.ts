import type { Clock, Db } from './db-helpers.js';
import type { Station } from './types.js';

interface StationRow {
  station_no: string;
  contestant_name: string;
  id_number: string;
  created_at: number;
}

/** Fields a station can be created with. The station number is validated by the caller. */
export interface NewStation {
  stationNo: string;
  contestantName: string;
  idNumber: string;
}

/** Fields of a station that may change after registration. */
export type StationPatch = Partial<Pick<Station, 'contestantName' | 'idNumber'>>;

/** `created`, or `exists` when the number was already registered (left unchanged). */
export type CreateStationResult = { kind: 'created'; station: Station } | { kind: 'exists'; station: Station };

/** Stations repository. */
export interface StationsRepo {
  get(stationNo: string): Station | undefined;
  /** Registers a station; an existing one is returned unchanged, never overwritten. */
  create(input: NewStation): CreateStationResult;
  /** Applies the given fields; `undefined` when there is no such station. */
  update(stationNo: string, patch: StationPatch): Station | undefined;
  /** All stations ordered by number. */
  list(): Station[];
}

function toStation(r: StationRow): Station {
  return { stationNo: r.station_no, contestantName: r.contestant_name, idNumber: r.id_number, createdAt: r.created_at };
}

/** Builds the stations repository over an open, migrated database. */
export function stationsRepo(db: Db, now: Clock): StationsRepo {
  const getStmt = db.prepare<[string], StationRow>('SELECT * FROM stations WHERE station_no = ?');
  const insertStmt = db.prepare<[NewStation & { now: number }], StationRow>(
    `INSERT INTO stations (station_no, contestant_name, id_number, created_at)
     VALUES (@stationNo, @contestantName, @idNumber, @now)
     ON CONFLICT (station_no) DO NOTHING RETURNING *`,
  );
  const updateStmt = db.prepare<[Record<string, string | number | null>], StationRow>(
    `UPDATE stations SET
       contestant_name = CASE WHEN @hasName THEN @contestantName ELSE contestant_name END,
       id_number = CASE WHEN @hasId THEN @idNumber ELSE id_number END
     WHERE station_no = @stationNo RETURNING *`,
  );
  const listStmt = db.prepare<[], StationRow>('SELECT * FROM stations ORDER BY station_no');

  return {
    get(stationNo) {
      const row = getStmt.get(stationNo);
      return row && toStation(row);
    },
    create(input) {
      const inserted = insertStmt.get({ ...input, now: now() });
      if (inserted) return { kind: 'created', station: toStation(inserted) };
      const existing = getStmt.get(input.stationNo);
      if (!existing) throw new Error('store: station insert conflicted but no row exists; check the stations table');
      return { kind: 'exists', station: toStation(existing) };
    },
    update(stationNo, patch) {
      const row = updateStmt.get({
        stationNo,
        hasName: patch.contestantName === undefined ? 0 : 1,
        contestantName: patch.contestantName ?? null,
        hasId: patch.idNumber === undefined ? 0 : 1,
        idNumber: patch.idNumber ?? null,
      });
      return row && toStation(row);
    },
    list() {
      return listStmt.all().map(toStation);
    },
  };
}
