import { compilePattern } from '../filter/event-pattern';

/**
 * An event source mapping's `filterPatterns`: a record passes when any pattern matches it (patterns
 * are ORed). Without patterns every record passes.
 */
export function recordFilter(patterns: unknown[] | undefined): ((record: unknown) => boolean) | undefined {
  if (!patterns?.length) return undefined;
  const compiled = patterns.map((pattern) => compilePattern(pattern));
  return (record) => compiled.some((matches) => matches(record));
}

/**
 * The record as filters see it: its data field (`body`, `data`) parsed when it is JSON, else the plain
 * text, so that a pattern on the data's JSON fields never matches plain text (Lambda drops the record).
 */
export function withParsedData(record: object, field: string, text: string): unknown {
  try {
    return { ...record, [field]: JSON.parse(text) as unknown };
  } catch {
    return { ...record, [field]: text };
  }
}
