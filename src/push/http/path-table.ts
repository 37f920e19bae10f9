import { decodeComponent } from './request';

/**
 * API Gateway's path matching, built once: a Map for fully static paths, and for the rest a list per
 * segment count plus a list of greedy (`{proxy+}`) paths, each sorted most specific first (at the first
 * segment where two paths differ, static beats `{param}`, which beats `{proxy+}`). A lookup walks the
 * candidates in that order and stops at the first the caller accepts.
 */

const STATIC = 0;
const PARAM = 1;
const GREEDY = 2;

interface Pattern<T> {
  value: T;
  /** Per segment: the static text, or the parameter's name. */
  segments: string[];
  kinds: number[];
}

export type PathParameters = Record<string, string>;

/** Accepts a candidate (returns a result) or passes (returns undefined) to try the next one. */
export type Accept<T, R> = (value: T, pathParameters: PathParameters | null) => R | undefined;

/** `/a/b/` -> `/a/b`; the root stays `/`. */
export const trimTrailingSlash = (path: string) =>
  path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;

function compile<T>(path: string, value: T): Pattern<T> {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const segments: string[] = [];
  const kinds: number[] = [];
  parts.forEach((part, i) => {
    const param = /^\{([^}]+)\}$/.exec(part);
    if (!param) {
      segments.push(part);
      kinds.push(STATIC);
    } else if (param[1].endsWith('+') && i === parts.length - 1) {
      segments.push(param[1].slice(0, -1));
      kinds.push(GREEDY);
    } else {
      segments.push(param[1]);
      kinds.push(PARAM);
    }
  });
  return { value, segments, kinds };
}

function moreSpecificFirst<T>(a: Pattern<T>, b: Pattern<T>): number {
  const n = Math.min(a.kinds.length, b.kinds.length);
  for (let i = 0; i < n; i++) if (a.kinds[i] !== b.kinds[i]) return a.kinds[i] - b.kinds[i];
  return b.kinds.length - a.kinds.length;
}

export class PathTable<T> {
  private readonly exact = new Map<string, T>();
  private readonly bySegmentCount = new Map<number, Pattern<T>[]>();
  private readonly greedy: Pattern<T>[] = [];

  /** `entries`: resource paths (`/users/{id}`, `/files/{proxy+}`) with their values, one per path. */
  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [path, value] of entries) {
      const pattern = compile(trimTrailingSlash(path), value);
      if (pattern.kinds.every((kind) => kind === STATIC)) this.exact.set(trimTrailingSlash(path), value);
      else if (pattern.kinds[pattern.kinds.length - 1] === GREEDY) this.greedy.push(pattern);
      else {
        const list = this.bySegmentCount.get(pattern.kinds.length) ?? [];
        list.push(pattern);
        this.bySegmentCount.set(pattern.kinds.length, list);
      }
    }
    for (const list of this.bySegmentCount.values()) list.sort(moreSpecificFirst);
    this.greedy.sort(moreSpecificFirst);
  }

  get size(): number {
    let size = this.exact.size + this.greedy.length;
    for (const list of this.bySegmentCount.values()) size += list.length;
    return size;
  }

  /** Offers `accept` each path matching `path` (percent-encoded, no query), most specific first. */
  find<R>(path: string, accept: Accept<T, R>): R | undefined {
    const trimmed = trimTrailingSlash(path);
    const exact = this.exact.get(trimmed);
    if (exact !== undefined) {
      const result = accept(exact, null);
      if (result !== undefined) return result;
    }
    if (this.bySegmentCount.size === 0 && this.greedy.length === 0) return undefined;
    const parts = trimmed === '/' ? [] : trimmed.slice(1).split('/');
    const sameLength = this.bySegmentCount.get(parts.length);
    if (sameLength) {
      for (const pattern of sameLength) {
        const params = matchSegments(pattern, parts);
        if (params === undefined) continue;
        const result = accept(pattern.value, params);
        if (result !== undefined) return result;
      }
    }
    for (const pattern of this.greedy) {
      if (parts.length < pattern.kinds.length) continue;
      const params = matchSegments(pattern, parts);
      if (params === undefined) continue;
      const result = accept(pattern.value, params);
      if (result !== undefined) return result;
    }
    return undefined;
  }
}

/** The decoded path parameters when `parts` fits the pattern; undefined when it does not. */
function matchSegments<T>(pattern: Pattern<T>, parts: string[]): PathParameters | undefined {
  const params: PathParameters = {};
  const { kinds, segments } = pattern;
  for (let i = 0; i < kinds.length; i++) {
    const part = parts[i];
    if (kinds[i] === STATIC) {
      if (part !== segments[i]) return undefined;
    } else if (kinds[i] === PARAM) {
      if (part === '') return undefined;
      params[segments[i]] = decodeComponent(part);
    } else {
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      params[segments[i]] = decodeComponent(rest);
    }
  }
  return params;
}
