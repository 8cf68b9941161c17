import { describe, expect, it } from 'vitest';
import { parseTrainerLine } from './trainer-events.js';

/** Lines as the trainer writes them (workers/trainer/README.md), and lines it must not be trusted with. */
describe('trainer event contract', () => {
  it('parses each event kind of the README', () => {
    const lines = [
      '{"type":"start","device":"cpu","model":"ssdlite","trainImages":32,"valImages":8,"stepsPerEpoch":4,"skippedImages":0,"classes":["a","b"],"params":{"lr":0.001,"batch":8}}',
      '{"type":"step","epoch":2,"step":3,"steps":4,"loss":1.5,"lr":0.001,"elapsedS":12.5}',
      '{"type":"epoch","epoch":2,"epochs":40,"loss":null,"lossParts":{"cls":0.5},"lr":0.001,"imagesPerS":8.1,"elapsedS":20,"etaS":300,"valMap50":0.4,"valMap50_95":0.2,"valMap50PerClass":{"a":0.5,"b":null},"evalS":1.2}',
      '{"type":"best","epoch":2,"valMap50":0.4,"valMap50_95":0.2}',
      '{"type":"done","reason":"stopped","bestEpoch":null,"bestValMap50":null,"onnx":"/o/model.onnx","checkpoint":"/o/best.pt","last":"/o/last.pt","metrics":"/o/metrics.json","elapsedS":33}',
      '{"type":"error","code":"bad-params","field":"lr","message":"lr must be 1e-05..1"}',
    ];
    expect(lines.map((l) => {
      const r = parseTrainerLine(l);
      return r.ok ? r.event.type : r.error;
    })).toEqual(['start', 'step', 'epoch', 'best', 'done', 'error']);
  });

  it('refuses what is not an event, naming the field', () => {
    expect(parseTrainerLine('Epoch 3 done')).toEqual({ ok: false, error: 'not JSON' });
    const r = parseTrainerLine('{"type":"epoch","epoch":"3"}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('epoch');
    expect(parseTrainerLine('{"type":"done","reason":"exploded"}').ok).toBe(false);
    expect(parseTrainerLine('{"type":"party"}').ok).toBe(false);
  });
});
