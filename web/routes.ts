import { editorRoutes, type EditorDeps } from './editor/index.js';
import { exportFileRoute } from './files/index.js';
import { invokeRoutes } from './invoke/index.js';
import { proctorRoutes } from './proctor/index.js';
import type { Route, WebDeps } from './server.js';

/** A route of the web process with a name, so a test can tell which ones it exercised. */
export interface NamedRoute {
  name: string;
  route: Route;
}

/**
 * Every route the web process serves besides `/healthz`, `/readyz` and `/` (in
 * `createWebServer`), in the order they are tried. `web/main.ts` serves exactly this list and
 * `web/access.int.test.ts` checks each against another station's credentials: a route added
 * here without a row in that test's table fails it.
 */
export function webRoutes(deps: WebDeps & { linkSecret: string; onSaved: EditorDeps['onSaved'] }): NamedRoute[] {
  const named = (prefix: string, routes: Route[]) => routes.map((route, i) => ({ name: `${prefix}#${i}`, route }));
  return [
    ...named('invoke', invokeRoutes(deps)),
    ...named('editor', editorRoutes(deps)),
    { name: 'files/export', route: exportFileRoute(deps) },
    ...named('proctor', proctorRoutes(deps)),
  ];
}
