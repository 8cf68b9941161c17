// fontkit (pdfkit's own font engine, installed with it) ships no types; the reports use one call.
declare module 'fontkit' {
  /** Opens a font file; for a collection (.ttc) `postscriptName` picks the face. */
  export function create(buffer: Uint8Array, postscriptName?: string): { postscriptName: string; layout: unknown };
}
