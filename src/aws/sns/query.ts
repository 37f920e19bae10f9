import { indexed, queryTree, type QueryTree } from '../query-request';

/**
 * The AWS Query protocol as SNS speaks it: flat form parameters in, XML out.
 *
 * Parameters name nested members with dots: lists as `Name.member.N`, maps as `Name.entry.N.key` /
 * `.value` (message attributes: `.Name` / `.Value`), structures by member name. They are read into the
 * same shape the JSON protocol sends, so one implementation of each operation serves both.
 */

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The maps of SNS's responses: serialized as `<entry><key/><value/></entry>`. */
const OUTPUT_MAPS = new Set(['Attributes']);

/** The operation's input from Query parameters (without `Action` and `Version`). */
export function queryInput(params: URLSearchParams): Record<string, unknown> {
  return normalize(queryTree(params)) as Record<string, unknown>;
}

function normalize(node: QueryTree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'entry')) {
    const items = indexed(node[keys[0]]);
    if (keys[0] === 'member') return items.map(normalize);
    const map: Record<string, unknown> = {};
    for (const item of items) {
      if (typeof item === 'string') continue;
      const key = item.key ?? item.Name;
      const value = item.value ?? item.Value;
      if (typeof key === 'string' && value !== undefined) map[key] = normalize(value);
    }
    return map;
  }
  return Object.fromEntries(keys.map((key) => [key, normalize(node[key])]));
}

/** `<{Action}Response>` with the `<{Action}Result>` (when the operation returns one) and the request id. */
export function xmlResponse(action: string, result: Record<string, unknown> | undefined, requestId: string) {
  const body = result === undefined ? '' : element(`${action}Result`, result);
  return (
    `<${action}Response xmlns="${NAMESPACE}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The Query protocol's error document. */
export function xmlError(code: string, message: string, sender: boolean, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const inner = OUTPUT_MAPS.has(name)
      ? entries.map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${element('value', v)}</entry>`)
      : entries.map(([k, v]) => element(k, v));
    return `<${name}>${inner.join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}
