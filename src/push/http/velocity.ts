import { Compile, parse } from 'velocityjs';

/**
 * API Gateway's mapping templates are Apache Velocity (VTL) over Java objects. velocityjs renders them
 * over JavaScript values; what differs is taught here: the Java String methods templates call
 * (`equals`, `matches`, `replaceAll` with a regular expression, `split` by regex, ...), and `$util`.
 * Undefined references render as nothing, as API Gateway renders them.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */

type Args = unknown[];
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
/** Java's String.matches and friends take the whole string; a JS RegExp is anchored by the caller. */
const regex = (pattern: unknown, flags = '') => new RegExp(text(pattern), flags);

/** Java's `String.split(regex)`: trailing empty strings removed. */
function javaSplit(value: string, pattern: unknown): string[] {
  const parts = value.split(regex(pattern));
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const STRING_METHODS: Record<string, (value: string, args: Args) => unknown> = {
  equals: (value, [other]) => value === text(other),
  equalsIgnoreCase: (value, [other]) => other !== null && value.toLowerCase() === text(other).toLowerCase(),
  contains: (value, [part]) => value.includes(text(part)),
  matches: (value, [pattern]) => regex(`^(?:${text(pattern)})$`).test(value),
  replaceAll: (value, [pattern, replacement]) => value.replace(regex(pattern, 'g'), text(replacement)),
  replaceFirst: (value, [pattern, replacement]) => value.replace(regex(pattern), text(replacement)),
  split: (value, [pattern]) => javaSplit(value, pattern),
  length: (value) => value.length,
  isEmpty: (value) => value.length === 0,
};

const CONTROL_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** java.util.Map and List methods velocityjs does not know (it knows get, keySet, entrySet, size). */
const COLLECTION_METHODS: Record<string, (value: object, args: Args) => unknown> = {
  containsKey: (value, [key]) => isMap(value) && Object.hasOwn(value, text(key)),
  isEmpty: (value) => (Array.isArray(value) ? value.length : Object.keys(value).length) === 0,
  contains: (value, [item]) => Array.isArray(value) && value.includes(item),
};

const customMethodHandlers = [
  {
    uid: 'java-collection',
    match: ({ property, context }: { property: string; context: unknown }) =>
      typeof context === 'object' && context !== null && Object.hasOwn(COLLECTION_METHODS, property),
    resolve: ({ property, context, params }: { property: string; context: unknown; params: Args }) =>
      COLLECTION_METHODS[property](context as object, params),
  },
  {
    uid: 'java-string',
    match: ({ property, context }: { property: string; context: unknown }) =>
      typeof context === 'string' && Object.hasOwn(STRING_METHODS, property),
    resolve: ({ property, context, params }: { property: string; context: unknown; params: Args }) =>
      STRING_METHODS[property](context as string, params),
  },
];

/** Commons Lang 2's `escapeJavaScript`, which `$util.escapeJavaScript` is: `'` too, `/` and non-ASCII. */
export function escapeJavaScript(value: unknown): string {
  const input = text(value);
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    const code = input.charCodeAt(i);
    if (code > 0x7f || (code < 0x20 && !CONTROL_ESCAPES[code])) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (code < 0x20) out += CONTROL_ESCAPES[code];
    else if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** Java's URLEncoder: `+` for spaces, and only `.-*_` left as they are besides letters and digits. */
const urlEncode = (value: unknown) =>
  encodeURIComponent(text(value))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

function urlDecode(value: unknown): string {
  try {
    return decodeURIComponent(text(value).replace(/\+/g, ' '));
  } catch {
    return text(value);
  }
}

/** `$util`. */
export const util = {
  escapeJavaScript,
  parseJson: (value: unknown): unknown => JSON.parse(text(value)),
  urlEncode,
  urlDecode,
  base64Encode: (value: unknown) => Buffer.from(text(value), 'utf8').toString('base64'),
  base64Decode: (value: unknown) => Buffer.from(text(value), 'base64').toString('utf8'),
};

export type Template = (variables: Record<string, unknown>) => string;

/** Parses a template once; the result renders it over `$input`, `$context`, ... (and `$util`). */
export function compileTemplate(template: string): Template {
  const compiled = new Compile(parse(template), { escape: false, customMethodHandlers });
  return (variables) => compiled.render({ ...variables, util }, undefined, true);
}
