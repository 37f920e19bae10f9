import type { AwsResponse } from '../endpoint';
import { escapeXml, toXml, type XmlNode } from '../xml';
import { malformedXml, type S3Error } from './errors';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export { toXml, type XmlNode };

/** A REST-XML document in S3's namespace (a root with text, such as LocationConstraint, gives `text`). */
export function xmlDocument(root: string, body: XmlNode, text = ''): string {
  return rawXmlDocument(root, `${toXml(body)}${escapeXml(text)}`);
}

/** A document in S3's namespace around content already written as XML (elements with attributes). */
export function rawXmlDocument(root: string, content: string): string {
  return `${DECLARATION}<${root} xmlns="${NAMESPACE}">${content}</${root}>`;
}

export function xmlResponse(root: string, body: XmlNode, status = 200, text = ''): AwsResponse {
  return { status, headers: { 'content-type': 'application/xml' }, body: xmlDocument(root, body, text) };
}

/** A document without S3's namespace, as S3 sends PostResponse. */
export function bareXmlResponse(root: string, body: XmlNode, status = 200): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `${DECLARATION}<${root}>${toXml(body)}</${root}>`,
  };
}

/** S3's error document: `<Error><Code/><Message/>...extra elements...<RequestId/><HostId/></Error>`. */
export function errorResponse(error: S3Error, requestId: string, hostId: string): AwsResponse {
  const body = `${DECLARATION}<Error>${toXml({
    Code: error.code,
    Message: error.message,
    ...error.fields,
    RequestId: requestId,
    HostId: hostId,
  })}</Error>`;
  return { status: error.statusCode, headers: { ...error.headers, 'content-type': 'application/xml' }, body };
}

/** A parsed XML element: its name (without namespace prefix), child elements and text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** The text of the first child element named `name`, if there is one. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([^\s/>]+)[^>]*?(\/?)>|([^<]+)/g;

/**
 * Parses the small request documents S3 reads (Delete, CompleteMultipartUpload,
 * CreateBucketConfiguration). Anything that is not well-formed is S3's MalformedXML.
 */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [{ name: '#document', children: [], text: '' }];
  let consumed = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index !== consumed) throw malformedXml();
    consumed = match.index + match[0].length;
    const [whole, cdata, closing, rawName, selfClosing, chars] = match;
    const top = stack[stack.length - 1];
    if (cdata !== undefined) top.text += cdata;
    else if (chars !== undefined) top.text += decodeEntities(chars);
    else if (rawName !== undefined) {
      const name = rawName.includes(':') ? rawName.slice(rawName.indexOf(':') + 1) : rawName;
      if (closing) {
        if (stack.length < 2 || top.name !== name) throw malformedXml();
        stack.pop();
      } else {
        const element: XmlElement = { name, children: [], text: '' };
        top.children.push(element);
        if (!selfClosing) stack.push(element);
      }
    } else if (whole.startsWith('<!') && !whole.startsWith('<!--')) throw malformedXml();
  }
  const root = stack[0].children;
  if (consumed !== text.length || stack.length !== 1 || root.length !== 1 || stack[0].text.trim() !== '')
    throw malformedXml();
  return root[0];
}

/**
 * Replaces character and entity references; a `&` that starts none, or a reference to a character XML
 * does not allow, is not well-formed.
 */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);|&/g, (_, entity?: string) => {
    if (entity === undefined) throw malformedXml();
    if (!entity.startsWith('#'))
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] as string;
    const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    if (!isXmlChar(code)) throw malformedXml();
    return String.fromCodePoint(code);
  });
}

/** XML 1.0's Char production. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Parses the body as XML whose root element is `root`. */
export function parseBody(body: Buffer, root: string): XmlElement {
  const element = parseXml(body.toString('utf8').trim());
  if (element.name !== root) throw malformedXml();
  return element;
}
