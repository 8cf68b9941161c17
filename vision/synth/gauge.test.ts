import { describe, expect, it } from 'vitest';
import { drawZones, needleValue, paintGauge } from './gauge.js';
import { createRng } from './rng.js';

describe('gauge', () => {
  it('puts the needle inside green for normal and inside a red band for abnormal', () => {
    for (let seed = 0; seed < 500; seed++) {
      const rng = createRng(seed);
      const z = drawZones(rng);
      const normal = needleValue(rng, z, 'normal');
      expect(normal).toBeGreaterThan(z.green[0]);
      expect(normal).toBeLessThan(z.green[1]);
      const abnormal = needleValue(rng, z, 'abnormal');
      const inLow = z.lowRed !== undefined && abnormal < z.lowRed;
      expect(inLow || (abnormal > z.red && abnormal <= 1)).toBe(true);
      expect(z.red).toBeLessThanOrEqual(0.84);
    }
  });

  it('draws the same meter for both states except the needle angle', () => {
    for (let seed = 0; seed < 20; seed++) {
      const a = paintGauge(createRng(seed), 'm0', 'normal');
      const b = paintGauge(createRng(seed), 'm0', 'abnormal');
      const strip = (s: string): string => s.replace(/rotate\([-\d.]+\)/g, 'rotate()');
      expect(strip(b.body)).toBe(strip(a.body));
      expect(b.body).not.toBe(a.body);
      expect(b.hull).toEqual(a.hull);
      expect(b.defs).toBe(a.defs);
    }
  });
});
