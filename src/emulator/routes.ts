import { SID_FRAGMENT } from '../model/patterns.js';

/** What a handler answers: a status and a JSON body (and headers such as Retry-After). */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One entry of a route table: `method` on the paths `path` matches, answered by `handle`. */
export interface Route<Request> {
  method: string;
  path: RegExp;
  handle: (request: Request) => Answer;
}

/** A route found with its path parameters, or only the method to use instead (a 405), or nothing (a 404). */
export type RouteMatch<R> = { route: R; params: string[] } | { allowed: string } | null;

/** The parameters a path template may hold, `{AC}` etc., each one captured segment. */
const PATH_PARAMETERS: Record<string, string> = {
  AC: SID_FRAGMENT('AC'),
  SK: SID_FRAGMENT('SK'),
  PN: SID_FRAGMENT('PN'),
  MG: SID_FRAGMENT('MG'),
  // Any two letters: an unknown or lower-case code is the handler's 404, not an unknown path.
  Iso: '[A-Za-z]{2}',
};

/** The whole-path pattern of a template such as `/2010-04-01/Accounts/{AC}.json`. */
export function pathPattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const fragment = PATH_PARAMETERS[name];
      if (fragment === undefined) throw new Error(`unknown path parameter {${name}} in ${template}`);
      return `(${fragment})`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * The route for `method` on `path`. A path some route matches under other methods only answers the
 * method of the first such route (tables list GET first, so a 405 says "use GET" where GET exists).
 */
export function matchRoute<R extends Route<never>>(
  routes: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> {
  let allowed: string | null = null;
  for (const route of routes) {
    const found = route.path.exec(path);
    if (!found) continue;
    if (route.method === method) return { route, params: found.slice(1) };
    allowed ??= route.method;
  }
  return allowed === null ? null : { allowed };
}
