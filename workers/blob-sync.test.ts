import { describe, expect, it } from 'vitest';
import { stationKeyOf } from './blob-sync.js';

describe('stationKeyOf', () => {
  it('takes the key from another host’s absolute path, from stations/<station>/ on', () => {
    expect(stationKeyOf('A07', '/srv/hall/data/stations/A07/images/12.jpg')).toBe('stations/A07/images/12.jpg');
    expect(stationKeyOf('A07', 'C:\\data\\stations\\A07\\runs\\A07-r1\\model.onnx')).toBe('stations/A07/runs/A07-r1/model.onnx');
    // The last anchor wins (a DATA_DIR that itself lies under a folder named stations/A07).
    expect(stationKeyOf('A07', '/x/stations/A07/data/stations/A07/images/1.jpg')).toBe('stations/A07/images/1.jpg');
    expect(stationKeyOf('A07', 'stations/A07/images/1.jpg')).toBe('stations/A07/images/1.jpg');
  });

  it('refuses a path outside that station’s folder', () => {
    expect(stationKeyOf('A07', '/data/stations/A070/images/1.jpg')).toBeUndefined();
    expect(stationKeyOf('A07', '/data/models/base.onnx')).toBeUndefined();
  });
});
