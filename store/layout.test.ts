import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertInside, ensureStationDirs, runDir, stationFile, stationPaths } from './layout.js';
import { tempDir } from './test-fixtures/temp-store.js';

describe('layout', () => {
  let cleanup: () => void = () => undefined;
  afterEach(() => cleanup());

  it('stationPaths follows DESIGN.md "Data on disk"', () => {
    const p = stationPaths('/data', 'S01');
    const root = path.join('/data', 'stations', 'S01');
    expect(p).toEqual({
      root,
      raw: path.join(root, 'raw'),
      images: path.join(root, 'images'),
      rejected: path.join(root, 'rejected'),
      labels: path.join(root, 'labels'),
      exports: path.join(root, 'exports'),
      runs: path.join(root, 'runs'),
      reports: path.join(root, 'reports'),
      handin: path.join(root, 'handin'),
    });
    expect(runDir('/data', 'S01', 'S01-r2')).toBe(path.join(root, 'runs', 'S01-r2'));
  });

  it('ensureStationDirs creates every folder, idempotently', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const p = ensureStationDirs(tmp.dir, 'S07');
    ensureStationDirs(tmp.dir, 'S07');
    for (const dir of Object.values(p)) expect(statSync(dir).isDirectory()).toBe(true);
  });

  it.each(['', '.', '..', '../S01', 'S01/../../etc', 'a/b', 'a\\b', 'S\0'])('refuses station number %j', (bad) => {
    expect(() => stationPaths('/data', bad)).toThrow(/not a single folder name/);
  });

  it('refuses a run id that is not one folder name', () => {
    expect(() => runDir('/data', 'S01', '../S02-r1')).toThrow(/run id/);
  });

  it('stationFile resolves inside the station and refuses escapes', () => {
    expect(stationFile('/data', 'S01', 'images', 'a.jpg')).toBe(path.join('/data/stations/S01/images/a.jpg'));
    expect(() => stationFile('/data', 'S01', 'images', '../../S02/images/a.jpg')).toThrow(/outside/);
    expect(() => stationFile('/data', 'S01', '/etc/passwd')).toThrow(/stationPaths/);
    expect(() => assertInside('/data/stations/S01', '/data/stations/S01-evil/x')).toThrow(/outside/);
    expect(existsSync('/data/stations/S01')).toBe(false); // resolving creates nothing
  });
});
