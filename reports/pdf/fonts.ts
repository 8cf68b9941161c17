/**
 * The embedded CJK font (Debian's fonts-noto-cjk, Simplified Chinese faces of the
 * Noto Sans CJK collection). Parsing the 20 MB collection takes about half a second,
 * so the parsed faces are kept for the life of the process and handed to pdfkit,
 * which then only subsets the glyphs each report uses.
 */
import { readFileSync } from 'node:fs';
import { create } from 'fontkit';

/** Where Debian installs the collections, and the faces picked from them by PostScript name. */
export const CJK_FONTS = {
  regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold' },
} as const;

export type LoadedFont = ReturnType<typeof create>;
let cache: { regular: LoadedFont; bold: LoadedFont } | undefined;

function open(which: keyof typeof CJK_FONTS): LoadedFont {
  const { path, face } = CJK_FONTS[which];
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new Error(`CJK font ${path} is missing: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)`);
  }
  const font = create(bytes, face);
  if (!font || font.postscriptName !== face) {
    throw new Error(`${path} has no face named ${face}; fonts-noto-cjk is expected to provide it`);
  }
  return font;
}

/**
 * The regular and bold faces, parsed once per process. The `report` worker may call
 * this at start-up (exported as `loadReportFonts`) so the first report does not pay
 * the parse; it also fails fast there when fonts-noto-cjk is missing.
 */
export function cjkFonts(): { regular: LoadedFont; bold: LoadedFont } {
  cache ??= { regular: open('regular'), bold: open('bold') };
  return cache;
}
