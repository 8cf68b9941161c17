import { bilingual, escapeHtml, t, type Lang } from '../../core/index.js';
import type { DenialCode } from './access.js';

/** The editor's two server-rendered pages: the app shell and the refusal. */

const HEAD = (title: string, lang: Lang): string =>
  `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">` +
  '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">' +
  `<title>${escapeHtml(title)}</title><link rel="icon" href="editor/static/icon.svg">` +
  '<link rel="stylesheet" href="editor/static/annotorious.css"><link rel="stylesheet" href="editor/static/editor.css"></head>';

/**
 * The editor shell; `editor-app.js` fills it. URLs are relative so the page also works
 * behind a PUBLIC_URL with a path prefix.
 */
export function editorPage(lang: Lang): string {
  return (
    HEAD(t(lang, 'editor.title'), lang) +
    `<body data-lang="${lang}">` +
    '<header id="bar"><span id="title"></span><span id="status" role="status" aria-live="polite"></span></header>' +
    '<main id="stage"><img id="photo" alt=""></main>' +
    '<nav id="classes" aria-label="classes"></nav>' +
    '<footer id="actions">' +
    '<button id="undo" type="button" disabled></button>' +
    '<button id="delete" type="button" disabled></button>' +
    '<button id="snap" type="button" disabled></button>' +
    '<button id="save" type="button" class="primary" disabled></button>' +
    '</footer>' +
    '<script type="module" src="editor/static/editor-app.js"></script></body></html>'
  );
}

/** A short refusal in both languages (the user's first), with what to do next. */
export function deniedPage(code: DenialCode, lang: Lang): string {
  const text = bilingual(`editor.denied.${code}`);
  const order: Lang[] = lang === 'en' ? ['en', 'zh'] : ['zh', 'en'];
  const heading = bilingual('editor.deniedHeading');
  return (
    HEAD(`${heading.zh} · ${heading.en}`, lang) +
    '<body class="denied"><main>' +
    order.map((l) => `<section lang="${l}"><h1>${escapeHtml(heading[l])}</h1><p>${escapeHtml(text[l])}</p></section>`).join('') +
    '</main></body></html>'
  );
}
