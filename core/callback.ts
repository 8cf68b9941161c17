/**
 * Inline-button payloads (`callback_data`, at most 64 bytes): `v<version>:<action>:<arg>:<arg>...`.
 * Every action the product sends is in `CALLBACK_ACTIONS` with the kind of each argument,
 * so a producer cannot build a press the router cannot take (the arity is checked by the
 * compiler) and the router refuses a press of an unknown action or the wrong shape. Such a
 * press is stale or forged; the bot answers "this menu is outdated" and changes nothing.
 */

export const CALLBACK_VERSION = 1;

/** `int`: a non-negative integer (ids, versions, indexes, pages); `word`: any other short part. */
export type CallbackArgKind = 'int' | 'word';

/** Every button action, with the kinds of its arguments in order. Adding a button starts here. */
export const CALLBACK_ACTIONS = {
  /** registration confirmation: `ok` | `redo` */
  reg: ['word'],
  /** language picker: `zh` | `en` */
  lang: ['word'],
  /** capture: make this combo (`0+2`) the active one */
  cap: ['word'],
  /** cleaning list: filter `r` (rejected) | `a` (accepted) | `s` (back to the summary), page */
  cl: ['word', 'int'],
  /** cleaning list of one combo (`0+2`): filter `r` | `a`, page, combo (the photos to pick from when a restore finds the combo full) */
  cc: ['word', 'int', 'word'],
  /** cleaning: view, restore, remove one photo */
  cv: ['int'],
  cr: ['int'],
  cx: ['int'],
  /** training: start a preset; stop a run (`A07-r2`) */
  tp: ['word'],
  ts: ['word'],
  /** proposal: confirm (photo, label version) */
  pc: ['int', 'int'],
  /** proposal: pick the class of box i; back from the picker; set box i to class c; delete box i */
  pm: ['int', 'int', 'int'],
  pb: ['int', 'int'],
  pk: ['int', 'int', 'int', 'int'],
  pd: ['int', 'int', 'int'],
  /** proposal: discard the photo */
  px: ['int'],
  /** retry after a job failed for good: a photo's processing (`rp:<photo>`), a training run (`rt:<run>`) */
  rp: ['int'],
  rt: ['word'],
  /** /import class mapping: source class index → exam class id, or `x` to leave its boxes out */
  im: ['int', 'word'],
  /** /check: re-run and show page p (Refresh, ◀ ▶); open photo i (its preview, to fix inline or in the editor) */
  ck: ['int'],
  co: ['int'],
  /** /review: draw a new sample; show review r at sampled photo i; send review r's photo p as a picture */
  rd: [],
  rv: ['int', 'int'],
  ri: ['int', 'int'],
  /** /review: verdict of box b in review r (`q` qualified, `l` loose, `w` wrong label), page i; set missed objects of photo p to n, page i; finish review r */
  rb: ['int', 'int', 'word', 'int'],
  rm: ['int', 'int', 'int', 'int'],
  rf: ['int'],
  /** proposal: move the photo to the combo the model sees: photo id, label version, combo key */
  pv: ['int', 'int', 'word'],
  /** album summary: label the album's accepted photos one preview at a time: a photo id of the album */
  la: ['int'],
  /** /deploy: deploy this completed run of the station (`A07-r2`); issue a new API key (revokes the old) */
  dp: ['word'],
  dk: [],
  /** /stations (proctor): re-read every station and edit the overview */
  st: [],
  /** guide: run this command for the presser (the one next action under a guide answer) */
  gx: ['word'],
  /** /stations (proctor): show page p of the overview; /review for a proctor: draw a new sample of station s */
  sp: ['int'],
  rds: ['word'],
  /** a report that failed for good: make it again (`stage1` | `stage2`) */
  rr: ['word'],
  /** /check: snap photo p's loose boxes (label version v) by the amounts the check found, then re-run and show page i */
  cs: ['int', 'int', 'int'],
  /** /review finished: make the stage-one report for finished review r (offered once, in the summary) */
  r1: ['int'],
  /** /import of loose documents: Done (import what was collected) */
  ix: [],
} as const satisfies Record<string, readonly CallbackArgKind[]>;

export type CallbackAction = keyof typeof CALLBACK_ACTIONS;

/** The arguments `encodeCallback` takes for an action: one per kind, numbers for `int`. */
export type CallbackArgs<A extends CallbackAction> = ArgsOfKinds<(typeof CALLBACK_ACTIONS)[A]>;
type ArgsOfKinds<T extends readonly CallbackArgKind[]> = { -readonly [K in keyof T]: T[K] extends 'int' ? number : string };

/** A decoded press: a known action with exactly its number of arguments, each of its kind. */
export type Callback = { action: CallbackAction; args: string[] };

const PART = /^[A-Za-z0-9+_.-]{0,24}$/;
const INT = /^\d{1,15}$/;

function isAction(action: string): action is CallbackAction {
  return Object.hasOwn(CALLBACK_ACTIONS, action);
}

/** Builds a payload; throws when a part is unsafe or it would not fit Telegram's 64-byte limit (a bug). */
export function encodeCallback<A extends CallbackAction>(action: A, ...args: CallbackArgs<A>): string {
  const parts = [`v${CALLBACK_VERSION}`, action, ...(args as ReadonlyArray<string | number>).map(String)];
  for (const p of parts) {
    if (!PART.test(p)) throw new Error(`callback part ${JSON.stringify(p)} must match ${PART}; shorten it`);
  }
  if (!isAction(action)) throw new Error(`callback action ${JSON.stringify(action)} is not in CALLBACK_ACTIONS; add it there`);
  const kinds: readonly CallbackArgKind[] = CALLBACK_ACTIONS[action];
  if (args.length !== kinds.length) throw new Error(`callback ${action} takes ${kinds.length} arguments, got ${args.length}`);
  parts.slice(2).forEach((p, i) => {
    if (kinds[i] === 'int' && !INT.test(p)) throw new Error(`callback ${action} argument ${i} must be a non-negative integer, got ${JSON.stringify(p)}`);
  });
  const data = parts.join(':');
  if (Buffer.byteLength(data) > 64) throw new Error(`callback_data over 64 bytes: ${data}`);
  return data;
}

/**
 * Parses a payload; `undefined` for another version, a malformed string, an unknown action,
 * or arguments whose number or kinds do not match the action (an outdated or forged menu).
 */
export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || data.length > 64) return undefined;
  const [version, action, ...args] = data.split(':');
  if (version !== `v${CALLBACK_VERSION}` || !action || !isAction(action)) return undefined;
  if (!args.every((p) => PART.test(p))) return undefined;
  const kinds: readonly CallbackArgKind[] = CALLBACK_ACTIONS[action];
  if (args.length !== kinds.length || !args.every((p, i) => kinds[i] !== 'int' || INT.test(p))) return undefined;
  return { action, args };
}
