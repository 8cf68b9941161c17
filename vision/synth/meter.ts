/**
 * Dispatches a class kind to its painter.
 */
import { paintDigital } from './digital.js';
import { paintGauge } from './gauge.js';
import { paintLamp } from './lamp.js';
import type { MeterArt } from './meter-art.js';
import type { Rng } from './rng.js';
import type { SynthKind } from './types.js';

/** Paints one meter of `kind`; `id` prefixes its gradient ids (unique within the scene). */
export function paintMeter(rng: Rng, kind: SynthKind, id: string): MeterArt {
  switch (kind) {
    case 'gauge-normal':
      return paintGauge(rng, id, 'normal');
    case 'gauge-abnormal':
      return paintGauge(rng, id, 'abnormal');
    case 'digital':
      return paintDigital(rng, id);
    case 'light-on':
      return paintLamp(rng, id, true);
    case 'light-off':
      return paintLamp(rng, id, false);
    default:
      return assertNever(kind);
  }
}

function assertNever(x: never): never {
  throw new TypeError(`unknown synth kind ${JSON.stringify(x)}; expected one of gauge-normal, gauge-abnormal, digital, light-on, light-off`);
}
