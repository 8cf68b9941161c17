import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Db } from './db-helpers.js';
import { stationPaths } from './layout.js';

/**
 * Disk use per station, for the per-station caps and the proctor's view. Read from the
 * files themselves (a walk of `DATA_DIR/stations/<station>/`), so it counts what is
 * really on disk, whatever wrote it.
 */
export interface StationDiskUsage {
  stationNo: string;
  /** Photo rows of the station, every status (what the photo cap counts). */
  photos: number;
  /** Bytes under `raw/` (what the byte cap counts: uploads as received). */
  rawBytes: number;
  /** Bytes of the whole station folder. */
  totalBytes: number;
  /** Bytes per top-level folder (`raw`, `images`, `rejected`, `runs`, `models`, …). */
  byFolder: Record<string, number>;
}

function folderBytes(dir: string): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

export interface DiskUsageQueries {
  /** One station's use (zeros for a station with no folder yet). */
  station(stationNo: string): StationDiskUsage;
  /** Every registered station's use, by station number. */
  all(): StationDiskUsage[];
}

export function diskUsageQueries(db: Db, dataDir: string): DiskUsageQueries {
  const countStmt = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM photos WHERE station_no = ?');
  const stationsStmt = db.prepare<[], { station_no: string }>('SELECT station_no FROM stations ORDER BY station_no');
  const station = (stationNo: string): StationDiskUsage => {
    const root = stationPaths(dataDir, stationNo).root;
    const byFolder: Record<string, number> = {};
    let totalBytes = 0;
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const e of entries) {
      const p = path.join(root, e.name);
      const bytes = e.isDirectory() ? folderBytes(p) : (statSync(p, { throwIfNoEntry: false })?.size ?? 0);
      byFolder[e.name] = bytes;
      totalBytes += bytes;
    }
    return { stationNo, photos: countStmt.get(stationNo)?.n ?? 0, rawBytes: byFolder.raw ?? 0, totalBytes, byFolder };
  };
  return { station, all: () => stationsStmt.all().map((r) => station(r.station_no)) };
}
