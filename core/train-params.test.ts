import { describe, expect, it } from 'vitest';
import { UserInputError } from './errors.js';
import { parseTrainArgs, PRESETS, trainParamsSchema } from './train-params.js';

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

  it('names the bad field and its range', () => {
    for (const [text, field] of [['epochs=0', 'epochs'], ['lr=5', 'lr'], ['batch=abc', 'batch'], ['size=300', 'imgSize'], ['model=yolo', 'model']] as const) {
      try {
        parseTrainArgs(text);
        expect.unreachable(text);
      } catch (err) {
        expect(err).toBeInstanceOf(UserInputError);
        expect((err as UserInputError).code).toBe('train.param');
        expect((err as UserInputError).params.field).toBe(field);
      }
    }
    expect(() => parseTrainArgs('colour=red')).toThrow(UserInputError);
  });

  it('ships valid presets', () => {
    for (const p of Object.values(PRESETS)) expect(trainParamsSchema.safeParse(p).success).toBe(true);
  });
});
