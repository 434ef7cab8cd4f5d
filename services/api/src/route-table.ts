// Which methods a path has, so that a wrong method gets 405 with Allow instead of "no route".
import type { HttpMethod } from './route-spec.js';

export interface RouteTable {
  add(method: HttpMethod, routerPath: string): void;
  /** The methods registered for this concrete path (HEAD included wherever GET is). */
  methodsFor(path: string): string[];
}

export function createRouteTable(): RouteTable {
  const entries: { method: HttpMethod; pattern: RegExp }[] = [];
  return {
    add(method, routerPath) {
      const source = routerPath
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      entries.push({ method, pattern: new RegExp(`^${source}/?$`) });
    },
    methodsFor(path) {
      const clean = path.split('?')[0]?.replace(/\/{2,}/g, '/') ?? '';
      const methods = new Set<string>(entries.filter((entry) => entry.pattern.test(clean)).map((entry) => entry.method));
      if (methods.has('GET')) methods.add('HEAD');
      return [...methods].sort();
    },
  };
}
