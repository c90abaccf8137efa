// A minimal path router: literal and `:param` segments, 404 vs 405 distinction, decoded parameters.
import { ApiError } from './errors.ts';

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Compiled<R> {
  method: string;
  segments: string[];
  route: R;
}

export interface RouteDef {
  method: string;
  path: string;
}

/** Splits a raw URL path into decoded segments; a malformed percent-escape is a 400. */
export function splitPath(pathname: string): string[] {
  const parts = pathname.split('/').slice(1);
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ApiError(400, `Malformed path segment '${part.slice(0, 80)}'.`);
    }
  });
}

export class Router<R extends RouteDef> {
  #routes: Compiled<R>[] = [];

  constructor(routes: R[]) {
    for (const route of routes) {
      this.#routes.push({ method: route.method, segments: route.path.split('/').slice(1), route });
    }
  }

  /**
   * Finds the route for a method and decoded path segments. Literal segments win over parameters
   * (routes are tried in declaration order, so literal routes are declared first). Returns null when
   * no path matches; throws 405 when the path exists for other methods.
   */
  match(method: string, segments: string[]): RouteMatch<R> | null {
    const allowed = new Set<string>();
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, segments);
      if (!params) continue;
      if (compiled.method === method) return { route: compiled.route, params };
      allowed.add(compiled.method);
    }
    if (allowed.size > 0) {
      throw new ApiError(405, `Method ${method} is not allowed on this resource.`, 'method.not.allowed', {
        Allow: [...allowed].join(', '),
      });
    }
    return null;
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      if (a === '') return null;
      params[p.slice(1)] = a;
    } else if (p !== a) {
      return null;
    }
  }
  return params;
}
