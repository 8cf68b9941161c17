/**
 * What never goes to the LLM: ID numbers (issue 15). A full one (17 digits + digit or X,
 * spaces or dashes allowed between groups, as people type them) and the chat's masked form
 * (`1101**********1234`) are both replaced, so not even the masked digits leave the machine.
 */
const FULL_ID = /(?<![\dA-Za-z])\d(?:[\s-]?\d){16}[\s-]?[\dXx](?![\dA-Za-z])/g;
const MASKED_ID = /\d{2,6}\*{4,}\d{0,4}[\dXx]?/g;

export const ID_PLACEHOLDER = '[ID number removed]';

/** `text` with every ID number, full or masked, replaced by a placeholder. */
export function scrubForModel(text: string): string {
  return text.replace(FULL_ID, ID_PLACEHOLDER).replace(MASKED_ID, ID_PLACEHOLDER);
}
