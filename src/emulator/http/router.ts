/** A minimal method + path-pattern router: `/v1/models/:modelId` captures `modelId`. */
export type Params = Record<string, string>;

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export type RouteMatch<H> = { kind: 'found'; handler: H; params: Params } | { kind: 'wrong-method' } | { kind: 'none' };

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  /** Literal segments win over parameters, so `/deployments/production` beats `/deployments/:deploymentId`. */
  match(method: string, pathname: string): RouteMatch<H> {
    const parts = split(pathname);
    let pathMatched = false;
    let best: { route: Route<H>; params: Params; literals: number } | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const literals = route.segments.filter((s) => !s.startsWith(':')).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { kind: 'found', handler: best.route.handler, params: best.params };
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

/** Empty segments count: `/v1/models/` and `/v1//models` are not `/v1/models` (Baseten would not take them either). */
function split(path: string): string[] {
  return path.replace(/^\//, '').split('/');
}

function matchSegments(pattern: string[], parts: string[]): Params | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const part = parts[i] as string;
    if (p.startsWith(':')) {
      if (part === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (p !== part) return undefined;
  }
  return params;
}
