import type { DemoResult } from './contestant.js';

/**
 * What a contestant's own actions cost, for the projected exam time. Assumptions, printed
 * with every figure that uses them: walking to the rig, framing and shooting one photo; one
 * tap or short message in the chat; fixing one photo's boxes in the editor.
 */
export const CONTESTANT_COSTS = { shot: 20, tap: 2, editorFix: 30 } as const;

/** The contestant's own seconds for a demo run: shots, taps and messages, editor fixes. */
export function contestantSeconds(r: Pick<DemoResult, 'accepted' | 'rejected' | 'actions' | 'editorFixes'>): number {
  const shots = r.accepted + r.rejected;
  // An editor fix counts as two actions (open, save): costed as one fix, not as taps.
  const taps = Math.max(0, r.actions - shots - 2 * r.editorFixes);
  return shots * CONTESTANT_COSTS.shot + taps * CONTESTANT_COSTS.tap + r.editorFixes * CONTESTANT_COSTS.editorFix;
}
