import type { EmulatorState } from './emulator-state.js';
import type { Params } from './params.js';
import type { Upload } from './request-body.js';

/** What one Bot API method handler receives. */
export interface MethodContext {
  state: EmulatorState;
  params: Params;
  /** Files uploaded with the request, by form field name. */
  files: ReadonlyMap<string, Upload>;
  /** Registers a function to run if the client disconnects before the answer (long polls). */
  onCancel: (cancel: () => void) => void;
}

/**
 * A Bot API method: returns the `result` of a successful call, or throws an `ApiError`
 * for a Telegram-shaped failure.
 */
export type MethodHandler = (ctx: MethodContext) => unknown;
