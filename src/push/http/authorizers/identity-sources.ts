import type { IdentitySource } from '../../../service/model';
import { headerValuesOf, parseQuery } from '../request';

/**
 * Reading an authorizer's identity sources from a request. A value that is missing or empty is
 * missing: API Gateway then answers 401 without invoking anything. Repeated headers and query
 * parameters reach the authorizer comma-joined.
 */

/** What a request offers its identity sources. */
export interface IdentityFacts {
  rawHeaders: readonly string[];
  rawQuery: string;
  /** `$context` variables the emulator knows (requestId, stage, ...), by name. */
  context?: Record<string, string | undefined>;
}

/**
 * The `$context` variables of an event's request context, as identity sources name them: its strings
 * and numbers by key, those of nested objects dotted (`identity.sourceIp`, `http.method`).
 */
export function contextVariables(context: object, prefix = ''): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string' || typeof value === 'number') variables[`${prefix}${key}`] = String(value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      Object.assign(variables, contextVariables(value as object, `${prefix}${key}.`));
    }
  }
  return variables;
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function valueOf(source: IdentitySource, facts: IdentityFacts): string | undefined {
  switch (source.from) {
    case 'header':
      return nonEmpty(headerValuesOf(facts.rawHeaders, source.name.toLowerCase()).join(','));
    case 'querystring':
      return nonEmpty(parseQuery(facts.rawQuery)[source.name]?.join(','));
    case 'context':
      return nonEmpty(facts.context?.[source.name]);
    case 'stageVariables':
      // The emulator has no stage variables: a source that needs one is never there.
      return undefined;
  }
}

/** Every source's value in order, or undefined when one of them is missing. */
export function readIdentity(sources: readonly IdentitySource[], facts: IdentityFacts): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const value = valueOf(source, facts);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}
