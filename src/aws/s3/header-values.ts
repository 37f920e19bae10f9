import { invalidArgument } from './errors';

/** An RFC 2047 encoded word: `=?charset?B|Q?text?=`. */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** The charsets of encoded words S3 decodes, as Node names them. */
const CHARSETS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8',
  'iso-8859-1': 'latin1',
  'us-ascii': 'latin1',
};

/**
 * A user metadata value as S3 stores it: its RFC 2047 encoded words decoded (the whitespace
 * between two adjacent words dropped, as RFC 2047 says). A word of another charset is kept as sent.
 */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
      const nodeCharset = CHARSETS[charset.toLowerCase()];
      if (nodeCharset === undefined) return word;
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return bytes.toString(nodeCharset);
    });
}

/**
 * A stored user metadata value as S3 answers it: as is when it is printable US-ASCII, else one
 * RFC 2047 encoded word of its UTF-8 (`=?UTF-8?B?...?=`), so that every value makes a valid header.
 */
export function encodeForHeader(value: string): string {
  if (!/[^\t\x20-\x7e]/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Refuses a user metadata name that cannot be a header's (a form field or query name can be anything). */
export function checkMetadataName(name: string): void {
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
    throw invalidArgument('Metadata names must be valid HTTP header names.', name, name);
  }
}

/**
 * Refuses, as S3 does, a value that cannot be a header: one with CR, LF or another control
 * character (a form field or a query parameter can carry them), and, unless it is user metadata
 * (which S3 encodes), one with a character beyond ISO-8859-1.
 */
export function checkHeaderValue(name: string, value: string, userMetadata = false): void {
  const codes = [...value].map((c) => c.codePointAt(0) as number);
  if (codes.some((code) => (code < 0x20 && code !== 0x09) || code === 0x7f)) {
    throw invalidArgument('Header value cannot contain control characters.', name, value);
  }
  if (!userMetadata && codes.some((code) => code > 0xff)) {
    throw invalidArgument('Header value cannot be represented using ISO-8859-1.', name, value);
  }
}

/** A header's value, the first when it was sent more than once. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
