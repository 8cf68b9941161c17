// Types for `./annotorious.js`, which the web process serves from the package's ES build
// (web/editor/http.ts); only `tsconfig.static.json` reads this file.
export { createImageAnnotator, ShapeType, UserSelectAction } from '@annotorious/annotorious';
