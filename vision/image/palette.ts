/**
 * Class colours of the chat preview: the one table in `core/class-palette.ts`, which the
 * box editor's page gets from the server too, so a class has the same colour everywhere.
 */
export { classPalette } from '../../core/index.js';
