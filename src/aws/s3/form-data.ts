/** One part of a `multipart/form-data` body (RFC 7578). */
export interface FormPart {
  /** The `name` of a `form-data` part; undefined for a part of another disposition. */
  name?: string;
  /** The `filename` parameter (`filename*` preferred), when the part has one, possibly empty. */
  filename?: string;
  /** The part's headers, by lower-case name. */
  headers: Record<string, string>;
  /** The part's content, byte for byte. */
  data: Buffer;
}

/** A body that is not well-formed multipart/form-data, or a content type without a boundary. */
export class FormDataError extends Error {}

/** The `boundary` parameter of a `multipart/form-data` content type, unquoted. */
export function boundaryOf(contentType: string): string | undefined {
  const [type, ...parameters] = splitParameters(contentType);
  if (type.toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = parameters.find((p) => p.name === 'boundary')?.value;
  return boundary ? boundary : undefined;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * Splits the body into its parts: an optional preamble, then `--boundary` lines (transport padding
 * allowed) each followed by CRLF, the part's headers, an empty line and its content up to the next
 * `CRLF--boundary`, until the closing `--boundary--` (the epilogue is ignored). Contents are kept as
 * bytes; headers are read as UTF-8, as browsers send names and filenames.
 */
export function parseFormData(body: Buffer, boundary: string): FormPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let position: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) position = dashBoundary.length;
  else {
    const first = body.indexOf(delimiter);
    if (first < 0) throw new FormDataError('no boundary in the body');
    position = first + delimiter.length;
  }
  const parts: FormPart[] = [];
  for (;;) {
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts;
    while (body[position] === 0x20 || body[position] === 0x09) position++;
    if (!startsWith(body, CRLF, position)) throw new FormDataError('a boundary line does not end in CRLF');
    position += CRLF.length;
    let headersEnd: number;
    let contentStart: number;
    if (startsWith(body, CRLF, position)) {
      headersEnd = position;
      contentStart = position + CRLF.length;
    } else {
      headersEnd = body.indexOf(HEADERS_END, position);
      if (headersEnd < 0) throw new FormDataError('a part has no end of headers');
      contentStart = headersEnd + HEADERS_END.length;
    }
    const contentEnd = body.indexOf(delimiter, contentStart);
    if (contentEnd < 0) throw new FormDataError('the body has no closing boundary');
    parts.push(
      toPart(parseHeaders(body.toString('utf8', position, headersEnd)), body, contentStart, contentEnd),
    );
    position = contentEnd + delimiter.length;
  }
}

function startsWith(body: Buffer, prefix: Buffer, position: number): boolean {
  return body.subarray(position, position + prefix.length).equals(prefix);
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text === '' ? [] : text.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new FormDataError(`malformed part header: ${line}`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return headers;
}

function toPart(headers: Record<string, string>, body: Buffer, start: number, end: number): FormPart {
  const part: FormPart = { headers, data: body.subarray(start, end) };
  const disposition = headers['content-disposition'];
  if (disposition === undefined) return part;
  const [type, ...parameters] = splitParameters(disposition);
  if (type.toLowerCase() !== 'form-data') return part;
  const parameter = (name: string) => parameters.find((p) => p.name === name)?.value;
  part.name = parameter('name');
  part.filename = decodeExtended(parameter('filename*')) ?? parameter('filename');
  return part;
}

/**
 * `type; a=b; c="d"` as the type and its parameters (names lower-cased). Inside quotes `\"` and `\\`
 * are escapes (RFC 7230); any other backslash is kept, as browsers send Windows paths unescaped.
 */
function splitParameters(value: string): [string, ...Array<{ name: string; value: string }>] {
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  const parameters: Array<{ name: string; value: string }> = [];
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gs;
  for (const match of value.slice(Math.max(semicolon, 0)).matchAll(pattern)) {
    const quoted = match[2]?.replace(/\\(["\\])/g, '$1');
    parameters.push({ name: match[1].toLowerCase(), value: quoted ?? match[3].trim() });
  }
  return [type, ...parameters];
}

/** RFC 5987's `UTF-8'language'percent-encoded` (`filename*=UTF-8''na%C3%AFve.txt`); other charsets are ignored. */
function decodeExtended(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
