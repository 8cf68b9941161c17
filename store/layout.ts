import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Absolute folders of one station under `DATA_DIR/stations/<station>/` (see DESIGN.md "Data on disk"). */
export interface StationPaths {
  /** `DATA_DIR/stations/<station>` */
  root: string;
  /** uploads as received (never modified) */
  raw: string;
  /** cleaned, EXIF-oriented photos: the dataset images */
  images: string;
  /** photos cleaning removed (the reason is in the DB) */
  rejected: string;
  /** YOLO txt per image + classes.txt (the DB is the source of truth) */
  labels: string;
  /** `<station>.zip` exports */
  exports: string;
  /** `runs/<run>/` trainer output */
  runs: string;
  /** stage1.pdf, stage2.pdf */
  reports: string;
  /** the hand-in folder assembled for the USB stick */
  handin: string;
}

const SUBDIRS = ['raw', 'images', 'rejected', 'labels', 'exports', 'runs', 'reports', 'handin'] as const;

/** Database file inside DATA_DIR. */
export function databasePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'copilot.db');
}

/**
 * Folders of a station. Station numbers are validated by the caller; this still refuses
 * anything that is not one plain path segment, so a bad value can never reach outside
 * `DATA_DIR/stations/`.
 */
export function stationPaths(dataDir: string, stationNo: string): StationPaths {
  assertSegment(stationNo, 'station number');
  const root = path.join(path.resolve(dataDir), 'stations', stationNo);
  return {
    root,
    raw: path.join(root, 'raw'),
    images: path.join(root, 'images'),
    rejected: path.join(root, 'rejected'),
    labels: path.join(root, 'labels'),
    exports: path.join(root, 'exports'),
    runs: path.join(root, 'runs'),
    reports: path.join(root, 'reports'),
    handin: path.join(root, 'handin'),
  };
}

/** Creates every folder of a station (idempotent) and returns their paths. */
export function ensureStationDirs(dataDir: string, stationNo: string): StationPaths {
  const paths = stationPaths(dataDir, stationNo);
  for (const dir of SUBDIRS) mkdirSync(paths[dir], { recursive: true });
  return paths;
}

/** Output folder of a run: `DATA_DIR/stations/<station>/runs/<runId>`. */
export function runDir(dataDir: string, stationNo: string, runId: string): string {
  assertSegment(runId, 'run id');
  return path.join(stationPaths(dataDir, stationNo).runs, runId);
}

/**
 * The ONNX model a run saved for serving: `DATA_DIR/stations/<station>/models/<runId>.onnx`
 * (the train worker copies it there; the invocation service loads the deployed run's).
 */
export function runModelPath(dataDir: string, stationNo: string, runId: string): string {
  assertSegment(runId, 'run id');
  return path.join(stationPaths(dataDir, stationNo).root, 'models', `${runId}.onnx`);
}

/**
 * Resolves `parts` inside a station's folder and refuses a result that escapes it
 * (e.g. a file name carrying `../`).
 */
export function stationFile(dataDir: string, stationNo: string, ...parts: string[]): string {
  const { root } = stationPaths(dataDir, stationNo);
  const target = path.resolve(root, ...parts);
  assertInside(root, target);
  return target;
}

/** Throws unless `target` is `root` itself or lies below it (after resolving `..`). */
export function assertInside(root: string, target: string): void {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(
      `store: path ${JSON.stringify(target)} lies outside ${JSON.stringify(root)}; ` +
        'build file paths with stationPaths()/stationFile() from a validated station number and a plain file name',
    );
  }
}

function assertSegment(value: string, what: string): void {
  if (
    value.length === 0 ||
    value === '.' ||
    value === '..' ||
    /[/\\\0]/.test(value) ||
    path.basename(value) !== value
  ) {
    throw new Error(
      `store: ${what} ${JSON.stringify(value)} is not a single folder name; ` +
        `validate it with core's station rules before building paths (letters, digits, '-' and '_')`,
    );
  }
}

/** The base detector exported from the shipped checkpoint: `DATA_DIR/models/base.onnx` (the workers write it). */
export function baseModelFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'models', 'base.onnx');
}
