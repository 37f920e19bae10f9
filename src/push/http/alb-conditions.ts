import type { AlbEvent } from '../../service/model';
import { headerOf, headerValuesOf, parseQuery } from './request';
import type { IncomingRequest } from './types';

/**
 * An ALB listener rule's conditions compiled once into one test: path patterns (case-sensitive), host
 * headers (case-insensitive, port ignored), HTTP methods, header and query conditions, with ALB's `*`
 * (any run of characters) and `?` (one character) wildcards. Source IP conditions are not checked.
 */

export type AlbTest = (request: IncomingRequest) => boolean;

const wildcard = (pattern: string, flags = '') =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
    flags,
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function headerTests(raw: unknown): AlbTest[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter(isObject).map((condition) => {
    const name = String(condition.name).toLowerCase();
    const values = (Array.isArray(condition.values) ? condition.values : []).map((v) =>
      wildcard(String(v), 'i'),
    );
    return (request) =>
      headerValuesOf(request.rawHeaders, name).some((value) => values.some((re) => re.test(value)));
  });
}

function queryTest(raw: unknown): AlbTest | undefined {
  if (!isObject(raw)) return undefined;
  const pairs = Object.entries(raw).map(([key, value]) => [key, wildcard(String(value), 'i')] as const);
  if (pairs.length === 0) return undefined;
  return (request) => {
    const query = parseQuery(request.rawQuery);
    return pairs.some(([key, re]) => (query[key] ?? []).some((value) => re.test(value)));
  };
}

export function albTest(conditions: AlbEvent['conditions']): AlbTest {
  const tests: AlbTest[] = [];
  if (conditions.path.length > 0) {
    const paths = conditions.path.map((p) => wildcard(p));
    tests.push((request) => paths.some((re) => re.test(request.path)));
  }
  if (conditions.method.length > 0) {
    const methods = new Set(conditions.method);
    tests.push((request) => methods.has(request.method));
  }
  if (conditions.host.length > 0) {
    const hosts = conditions.host.map((h) => wildcard(h, 'i'));
    tests.push((request) => {
      const host = (headerOf(request.rawHeaders, 'host') ?? '').replace(/:\d+$/, '');
      return hosts.some((re) => re.test(host));
    });
  }
  tests.push(...headerTests(conditions.header));
  const query = queryTest(conditions.query);
  if (query) tests.push(query);
  return (request) => tests.every((test) => test(request));
}
