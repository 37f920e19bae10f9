import { isUtf8 } from 'node:buffer';
import type { AwsRequest } from './endpoint';

/**
 * What the AWS Query protocol's services (SNS, SQS) share when reading a request: which service it
 * was signed for, and its parameters, from the URL and from a form body.
 */

/** The service a SigV4 request was signed for: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export function signedService(request: AwsRequest): string | undefined {
  const authorization = request.headers.authorization ?? '';
  const credential =
    /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? request.query.get('X-Amz-Credential') ?? '';
  return credential.split('/')[3];
}

export function isForm(request: AwsRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded');
}

/** The Query parameters: the URL's, then the form body's. */
export function queryParams(request: AwsRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  if (request.method === 'POST' && isForm(request)) {
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) params.append(key, value);
  }
  return params;
}

/**
 * Whether a form body's bytes, its percent-escapes decoded, are UTF-8. URLSearchParams would turn bad
 * bytes into U+FFFD and the service would store them: AWS refuses the request instead.
 */
export function isUtf8Form(body: Buffer): boolean {
  if (!body.includes(0x25)) return isUtf8(body);
  const bytes = Buffer.alloc(body.length);
  let length = 0;
  for (let i = 0; i < body.length; i++) {
    const hex = body[i] === 0x25 ? body.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes[length++] = parseInt(hex, 16);
      i += 2;
    } else {
      bytes[length++] = body[i];
    }
  }
  return isUtf8(bytes.subarray(0, length));
}

export type QueryTree = { [key: string]: QueryTree | string };

/** The parameters (but `Action` and `Version`) as a tree of their dotted names: `A.1.B=x` -> `{A: {1: {B: x}}}`. */
export function queryTree(params: URLSearchParams): QueryTree {
  const tree: QueryTree = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    let node = tree;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) {
        if (typeof node[part] !== 'object') node[part] = value;
        break;
      }
      const next = node[part];
      node = typeof next === 'object' ? next : (node[part] = {});
    }
  }
  return tree;
}

/** The children `1`, `2`, ... of a list or map, in their order. */
export function indexed(node: QueryTree | string): Array<QueryTree | string> {
  if (typeof node === 'string') return [];
  return Object.keys(node)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => node[key]);
}

/** A map parameter (Attributes, Tags) with string values; anything else is an empty map. */
export function mapParam(input: Record<string, unknown>, name: string): Record<string, string> {
  const value = input[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : String(v),
    ]),
  );
}
