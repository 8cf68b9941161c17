import type { CopyKey } from './copy/index.js';

/**
 * "What next?" until the guide agent exists: the question is recognised in both languages
 * (and its close variants) and answered from the plan progress and the labeling state, so
 * the hint that /help and the fallback give ("ask me what next") always works.
 */

const EN = /^(so\s+)?(what('?s| is)?\s+(next|now)|what\s+(do|should|shall)\s+i\s+do(\s+(next|now))?|next\s+step|what\s+is\s+the\s+next\s+step|what'?s\s+the\s+next\s+step|now\s+what)$/;
const ZH = /^(那|那么|现在)?(下一步|接下来|然后|现在)(该|要|应该)?(做|干)?(什么|啥)?(呢|呀|啊)?$/;
/** "我现在该做什么", "我该干啥", "现在我们要做什么呢". */
const ZH_I = /^(那|那么)?(我|我们)?(现在|接下来|下面)?(我|我们)?(该|要|应该|需要)(做|干)(什么|啥)(呢|呀|啊)?$/;

/** True for "what next?", "What should I do next?", "下一步做什么？", "接下来干什么" and the like. */
export function isWhatNext(text: string): boolean {
  const s = text.trim().toLowerCase().replace(/[?？!！。.,，~\s]+$/u, '').replace(/\s+/g, ' ');
  if (!s) return false;
  const zh = s.replace(/\s/g, '');
  return EN.test(s) || ZH.test(zh) || ZH_I.test(zh);
}

/** What the answer is built from; counts are photos of the station. */
export interface NextStepState {
  /** The station, or undefined while the user has not registered one. */
  stationNo?: string;
  /** The next combo of the plan that is not full, with its label and how many it lacks. */
  planNext?: { label: string; remaining: number };
  /** Photos received but not yet checked. */
  checking: number;
  /** Accepted photos whose label is not confirmed yet. */
  toConfirm: number;
  /** Photos with a confirmed label. */
  confirmed: number;
  /** Whether the station has a finished training run. */
  hasModel: boolean;
}

/** The one step to suggest, as a catalogue key and its parameters. */
export function nextStep(s: NextStepState): { key: CopyKey; params: Record<string, string | number> } {
  if (!s.stationNo) return { key: 'next.register', params: {} };
  if (s.toConfirm > 0) return { key: 'next.label', params: { n: s.toConfirm } };
  if (s.planNext) return { key: 'next.capture', params: { label: s.planNext.label, remaining: s.planNext.remaining } };
  if (s.checking > 0) return { key: 'next.checking', params: { n: s.checking } };
  if (!s.hasModel) return { key: 'next.train', params: { n: s.confirmed } };
  return { key: 'next.models', params: {} };
}
