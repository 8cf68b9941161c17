import { z } from 'zod';
import { behindAt, clockTime, encodeCallback, HOWTO_COMMANDS, METRICS, PRESETS, readClock, reachedMilestones, RULE_TOPICS, USER_PRESETS, type Milestone } from '../core/index.js';
import type { GuideFacts, TurnContext } from './facts.js';
import { nextAction } from './next-action.js';

/**
 * The guide's tools over the product (issue 15). Each has a zod schema (the model's
 * arguments are parsed with it; a malformed call is refused, never guessed) and a pure
 * `run` over the station's facts. The LLM agent and the offline guide call the same tools,
 * so every number either of them says comes from here. Acting tools (start training,
 * deploy, draw the review sample) do not act: they return the button that does, so the
 * contestant confirms with a press.
 */


/** A button an answer ends with: the next action (`/label`), or an acting tool's confirmation. */
export interface GuideButton {
  /** Catalogue key of the label and its parameters. */
  label: 'guide.btn.command' | 'guide.btn.train' | 'guide.btn.deploy' | 'guide.btn.sample';
  params: Record<string, string | number>;
  callback: string;
}

export interface GuideTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(input: z.infer<S>, ctx: TurnContext): ToolResult;
}

/** A tool's answer: plain JSON for the model, and a confirmation button for acting tools. */
export interface ToolResult {
  data: Record<string, unknown>;
  button?: GuideButton;
}

const def = <S extends z.ZodType>(t: GuideTool<S>): GuideTool<S> => t;
const empty = z.object({}).strict();
const round3 = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 1000) / 1000);
const commandButton = (command: string): GuideButton => ({ label: 'guide.btn.command', params: { command }, callback: encodeCallback('gx', command) });

function clockData(f: GuideFacts): Record<string, unknown> | undefined {
  if (!f.clock) return undefined;
  const r = readClock(f.clock.startedAt, f.clock.durationMin, f.now);
  const behind = r.lastCheckpoint !== undefined ? behindAt(f.clock.durationMin, r.lastCheckpoint, f.progress) : [];
  return {
    minutesLeft: r.leftMin,
    minutesElapsed: r.elapsedMin,
    ended: r.isEnded,
    durationMin: f.clock.durationMin,
    /** HH:MM, server time (as /timer says it). */
    endsAt: clockTime(r.endsAt),
    lastCheckpointMin: r.lastCheckpoint,
    nextCheckpointMin: r.nextCheckpoint,
    behind,
  };
}

export const TOOLS = [
  def({
    name: 'get_progress',
    description: "The station's progress against the capture plan: photos captured per combo and in total, labels confirmed and waiting, the exam steps reached, and the time left on the exam clock.",
    schema: empty,
    run: (_i, { facts: f }) => ({
      data: {
        registered: f.stationNo !== undefined,
        station: f.stationNo,
        captured: f.plan.captured,
        planned: f.plan.total,
        combos: f.plan.combos.map((c) => ({ combo: c.en, captured: c.captured, quota: c.quota })),
        nextCombo: f.plan.next ? { combo: f.plan.next.en, remaining: f.plan.next.remaining } : undefined,
        checking: f.progress.checking,
        waitingConfirmation: f.progress.toConfirm,
        confirmed: f.progress.confirmed,
        stepsDone: [...reachedMilestones(f.progress)],
        clock: clockData(f),
      },
    }),
  }),
  def({
    name: 'next_step',
    description: 'The one next action for the contestant (the exam order: capture and confirm labels, review, report 1, train, deploy, report 2, hand-in), with the command that does it.',
    schema: empty,
    run: (_i, { facts, lang }) => {
      const a = nextAction(facts, lang);
      return { data: { step: a.step, command: a.command ? `/${a.command}` : undefined, ...a.params }, ...(a.command ? { button: commandButton(a.command) } : {}) };
    },
  }),
  def({
    name: 'why_rejected',
    description: 'Why photos were rejected by cleaning: counts by reason, or the reason of one photo by its number (#id).',
    schema: z.object({ photoId: z.number().int().positive().optional().describe('photo number, as the chat shows it (#12)') }).strict(),
    run: ({ photoId }, { facts: f }) => {
      if (photoId !== undefined) {
        const p = f.rejected.recent.find((r) => r.photoId === photoId);
        return { data: p ? { photoId, rejected: true, reason: p.reason, detail: p.detail, duplicateOf: p.duplicateOf } : { photoId, rejected: false } };
      }
      return { data: { rejected: f.rejected.total, byReason: f.rejected.byReason }, ...(f.rejected.total > 0 ? { button: commandButton('clean') } : {}) };
    },
  }),
  def({
    name: 'exam_rules',
    description: 'The exam rules (from the exam digest) on one topic, in Chinese and English.',
    schema: z.object({ topic: z.enum(RULE_TOPICS) }).strict(),
    run: ({ topic }, { facts: f }) => ({ data: { topic, ruleKey: `guide.rules.${topic}`, durationMin: f.durationMin, sampleRatePct: Math.round(f.sampleRate * 100) } }),
  }),
  def({
    name: 'training_advice',
    description: "Training parameter advice from the station's dataset: confirmed photos, boxes per class (balance) and the time left; the suggested preset and its parameters.",
    schema: empty,
    run: (_i, { facts: f }) => {
      const boxes = f.perClass.map((c) => c.boxes);
      const min = boxes.length ? Math.min(...boxes) : 0;
      const max = boxes.length ? Math.max(...boxes) : 0;
      const left = f.clock ? readClock(f.clock.startedAt, f.clock.durationMin, f.now).leftMin : undefined;
      const preset: (typeof USER_PRESETS)[number] = left !== undefined && left < 25 ? 'fast' : left !== undefined && left < 45 ? 'balanced' : f.progress.confirmed >= 60 ? 'accurate' : 'balanced';
      const p = PRESETS[preset];
      const smallest = f.perClass.find((c) => c.boxes === min);
      return {
        data: {
          confirmedPhotos: f.progress.confirmed,
          boxesPerClass: f.perClass.map((c) => ({ cls: c.en, boxes: c.boxes, photos: c.photos })),
          imbalance: min > 0 ? Math.round((max / min) * 10) / 10 : undefined,
          smallestClass: smallest?.en,
          minutesLeft: left,
          preset,
          epochs: p.epochs,
          batch: p.batch,
          imgSize: p.imgSize,
          timeBudgetMin: p.timeBudgetS / 60,
        },
        button: { label: 'guide.btn.train', params: { preset }, callback: encodeCallback('tp', preset) },
      };
    },
  }),
  def({
    name: 'training_status',
    description: 'Training status: the run in progress (epoch, mAP50, ETA), the latest and best completed runs with their metrics, and the deployed run.',
    schema: empty,
    run: (_i, { facts: f }) => {
      const run = (r: GuideFacts['training']['latest']) => (r ? { id: r.id, map50: round3(r.map50), map5095: round3(r.map5095), precision: round3(r.precision), recall: round3(r.recall) } : undefined);
      const a = f.training.active;
      return {
        data: {
          active: a ? { id: a.id, status: a.status, epoch: a.epoch, epochs: a.epochs, map50: round3(a.map50), etaMin: a.etaS !== undefined ? Math.ceil(a.etaS / 60) : undefined } : undefined,
          completedRuns: f.training.completedRuns,
          latest: run(f.training.latest),
          best: run(f.training.best),
          deployed: run(f.training.deployed),
        },
      };
    },
  }),
  def({
    name: 'explain_metric',
    description: "What a metric means (mAP50, mAP50:95, precision, recall, loss, the review's accuracy, IoU, AP) and the station's own value when there is one.",
    schema: z.object({ metric: z.enum(METRICS) }).strict(),
    run: ({ metric }, { facts: f }) => {
      const best = f.training.best;
      const value =
        metric === 'map50' ? best?.map50 : metric === 'map5095' ? best?.map5095 : metric === 'precision' ? best?.precision : metric === 'recall' ? best?.recall : metric === 'accuracy' ? f.review?.accuracy : undefined;
      return { data: { metric, meaningKey: `guide.metric.${metric}`, value: round3(value), run: value !== undefined && metric !== 'accuracy' ? best?.id : undefined } };
    },
  }),
  def({
    name: 'deliverables_status',
    description: 'Review, report and hand-in status: the acceptance review (finished, stale, accuracy with its counts), the two reports, the dataset export and the hand-in folder.',
    schema: empty,
    run: (_i, { facts: f }) => ({
      data: {
        review: f.review ? { finished: f.review.finished, stale: f.review.stale, sampled: f.review.sampled, accuracy: round3(f.review.accuracy), qualified: f.review.qualified, boxes: f.review.boxes, missed: f.review.missed } : undefined,
        report1: f.deliverables.report1,
        report2: f.deliverables.report2,
        datasetExported: f.deliverables.datasetExported,
        handin: f.deliverables.handin,
      },
    }),
  }),
  def({
    name: 'exam_clock',
    description: 'The exam clock: minutes left and elapsed, the pace checkpoints (30/60/90 of 120 minutes) and which expected steps are behind.',
    schema: empty,
    run: (_i, { facts: f }) => ({ data: { running: f.clock !== undefined, ...(clockData(f) ?? { durationMin: f.durationMin }) }, ...(f.clock ? {} : { button: commandButton('timer') }) }),
  }),
  def({
    name: 'command_help',
    description: 'How to use one of the bot commands.',
    schema: z.object({ command: z.enum(HOWTO_COMMANDS) }).strict(),
    run: ({ command }) => ({ data: { command: `/${command}`, howtoKey: `guide.howto.${command}` }, button: commandButton(command) }),
  }),
  def({
    name: 'start_training',
    description: 'Offer to start training with a preset (fast, balanced, accurate). Does not start it: the contestant confirms with a button.',
    schema: z.object({ preset: z.enum(USER_PRESETS) }).strict(),
    run: ({ preset }, { facts: f }) => ({
      data: { needsConfirmation: true, preset, epochs: PRESETS[preset].epochs, timeBudgetMin: PRESETS[preset].timeBudgetS / 60, confirmedPhotos: f.progress.confirmed },
      button: { label: 'guide.btn.train', params: { preset }, callback: encodeCallback('tp', preset) },
    }),
  }),
  def({
    name: 'deploy_model',
    description: "Offer to deploy the station's best completed run (or the named one). Does not deploy: the contestant confirms with a button.",
    schema: z.object({ runId: z.string().regex(/^[A-Z0-9-]{1,24}$/).optional() }).strict(),
    run: ({ runId }, { facts: f }) => {
      const run = runId ?? f.training.best?.id;
      if (!run) return { data: { possible: false, reason: 'no completed run' } };
      return { data: { needsConfirmation: true, run, map50: round3(f.training.best?.id === run ? f.training.best.map50 : undefined) }, button: { label: 'guide.btn.deploy', params: { run }, callback: encodeCallback('dp', run) } };
    },
  }),
  def({
    name: 'draw_review_sample',
    description: 'Offer to draw the acceptance review sample (the share of labeled photos the rules sample). Does not draw it: the contestant confirms with a button.',
    schema: empty,
    run: (_i, { facts: f }) => ({
      data: { needsConfirmation: true, confirmedPhotos: f.progress.confirmed, sampleRatePct: Math.round(f.sampleRate * 100), sampleSize: f.progress.confirmed > 0 ? Math.max(1, Math.ceil(f.progress.confirmed * f.sampleRate)) : 0 },
      button: { label: 'guide.btn.sample', params: {}, callback: encodeCallback('rd') },
    }),
  }),
] as const;

export type ToolName = (typeof TOOLS)[number]['name'];

/** Runs a tool by name with raw arguments, parsed by its schema; a malformed call throws `MalformedToolCall`. */
export function callTool(name: string, args: unknown, ctx: TurnContext): ToolResult {
  const tool = TOOLS.find((t) => t.name === name) as GuideTool | undefined;
  if (!tool) throw new MalformedToolCall(`unknown tool ${JSON.stringify(name)}`);
  const parsed = tool.schema.safeParse(args ?? {});
  if (!parsed.success) throw new MalformedToolCall(`bad arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return tool.run(parsed.data, ctx);
}

/** The model asked for a tool that does not exist or with arguments its schema refuses. */
export class MalformedToolCall extends Error {
  override readonly name = 'MalformedToolCall';
}

/** The milestones a pace reminder names, in exam order. */
export type { Milestone };
