/**
 * Reading a request's headers, query string and path the ways the fronts present them: API Gateway
 * REST keeps header names as sent and offers single and multi-value maps; HTTP API and function URLs
 * lower-case names and comma-join repeats; ALB passes query strings undecoded.
 */

export type MultiMap = Record<string, string[]>;

/** The first value of the header `lowerName` (lower-case), or undefined. */
export function headerOf(rawHeaders: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return rawHeaders[i + 1];
  }
  return undefined;
}

/** Every value of the header `lowerName` (lower-case), in order. */
export function headerValuesOf(rawHeaders: readonly string[], lowerName: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) values.push(rawHeaders[i + 1]);
  }
  return values;
}

/** Header names as the client sent them, each with its values in order. */
export function headersAsSent(rawHeaders: readonly string[]): MultiMap {
  const out: MultiMap = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const values = out[name];
    if (values) values.push(rawHeaders[i + 1]);
    else out[name] = [rawHeaders[i + 1]];
  }
  return out;
}

/** Header names lower-cased, each with its values in order. */
export function headersLowerCased(rawHeaders: readonly string[]): MultiMap {
  const out: MultiMap = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const values = out[name];
    if (values) values.push(rawHeaders[i + 1]);
    else out[name] = [rawHeaders[i + 1]];
  }
  return out;
}

/**
 * HTTP API payload 2.0's headers in one pass: names lower-cased, repeated values comma-joined, and the
 * Cookie headers taken out into `cookies`, one entry per cookie (function URLs keep the header too).
 */
export function v2HeadersOf(
  rawHeaders: readonly string[],
  keepCookieHeader = false,
): {
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (name === 'cookie') {
      for (const cookie of value.split(';')) {
        const trimmed = cookie.trim();
        if (trimmed !== '') cookies.push(trimmed);
      }
    }
    if (name !== 'cookie' || keepCookieHeader) {
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  return { headers, cookies };
}

/** The last value of each name (what REST API and ALB put in their single-value maps). */
export function lastValues(multi: MultiMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in multi) {
    const values = multi[name];
    out[name] = values[values.length - 1];
  }
  return out;
}

/** Repeated values joined by commas, as HTTP API payload 2.0 presents headers and query strings. */
export function joinedValues(multi: MultiMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in multi) out[name] = multi[name].join(',');
  return out;
}

/** decodeURIComponent that leaves a malformed escape as it was rather than throwing. */
export function decodeComponent(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const decodeQueryComponent = (text: string) =>
  decodeComponent(text.indexOf('+') === -1 ? text : text.replaceAll('+', ' '));

/** `a=1&a=2&b` into `{ a: ['1', '2'], b: [''] }`, decoded, or as sent for ALB (`decode: false`). */
export function parseQuery(rawQuery: string, decode = true): MultiMap {
  const out: MultiMap = {};
  if (rawQuery === '') return out;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode ? decodeQueryComponent(rawKey) : rawKey;
    const value = decode ? decodeQueryComponent(rawValue) : rawValue;
    const values = out[key];
    if (values) values.push(value);
    else out[key] = [value];
  }
  return out;
}

const PARAMETERS_START = /[;,]/;

/** The (first) media type of a Content-Type or Accept value: lower-cased, parameters dropped. */
export function mediaTypeOf(value: string | undefined): string {
  if (value === undefined) return '';
  const end = value.search(PARAMETERS_START);
  return (end === -1 ? value : value.slice(0, end)).trim().toLowerCase();
}
