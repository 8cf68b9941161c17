import { describe, expect, it } from 'vitest';
import { UserInputError } from './errors.js';
import { parseTrainArgs, PRESETS, TrainArgsError, trainParamsSchema, type TrainArgIssue } from './train-params.js';

describe('parseTrainArgs', () => {
  it('starts from the balanced preset and applies key=value pairs', () => {
    const { params, preset } = parseTrainArgs('epochs=60 lr=0.001 batch=8 time=5m opt=sgd');
    expect(preset).toBe('balanced');
    expect(params).toMatchObject({ epochs: 60, lr: 0.001, batch: 8, timeBudgetS: 300, optimizer: 'sgd', model: 'ssdlite' });
  });

  it('takes a preset name first', () => {
    expect(parseTrainArgs('accurate epochs=10').params).toMatchObject({ model: 'ssdlite', imgSize: 480, epochs: 10 });
    expect(parseTrainArgs('accurate model=frcnn').params).toMatchObject({ model: 'frcnn', imgSize: 480 });
    expect(parseTrainArgs('fast').params).toEqual(PRESETS.fast);
  });

  it('names the bad field and its range, quoting what was typed', () => {
    for (const [text, field, value] of [['epochs=0', 'epochs', '0'], ['lr=5', 'lr', '5'], ['batch=abc', 'batch', 'abc'], ['size=300', 'size', '300'], ['model=yolo', 'model', 'yolo'], ['time=soon', 'time', 'soon']] as const) {
      try {
        parseTrainArgs(text);
        expect.unreachable(text);
      } catch (err) {
        expect(err).toBeInstanceOf(TrainArgsError);
        expect((err as TrainArgsError).code).toBe('train.params');
        expect((err as TrainArgsError).issues).toEqual([expect.objectContaining({ kind: 'param', field, value })]);
      }
    }
    expect(() => parseTrainArgs('colour=red')).toThrow(UserInputError);
  });

  it('lists every bad parameter at once, never NaN', () => {
    let issues: TrainArgIssue[] = [];
    try {
      parseTrainArgs('epochs=abc lr=5 batch=8 colour=red');
    } catch (err) {
      issues = [...(err as TrainArgsError).issues];
    }
    expect(issues).toEqual([
      { kind: 'unknown', field: 'colour' },
      { kind: 'param', field: 'epochs', value: 'abc', range: '1–300' },
      { kind: 'param', field: 'lr', value: '5', range: '0.00001–1' },
    ]);
    expect(JSON.stringify(issues)).not.toContain('NaN');
  });

  it('ships valid presets', () => {
    for (const p of Object.values(PRESETS)) expect(trainParamsSchema.safeParse(p).success).toBe(true);
  });
});
