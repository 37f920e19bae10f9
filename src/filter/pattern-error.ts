/**
 * An event pattern (or SNS filter policy, or Lambda filter) that is not valid. The message names the
 * field, e.g. `detail.state: prefix match pattern must be a string`.
 */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** Throws a PatternError whose message starts with the dotted path of the field at fault. */
export function fail(path: string, message: string): never {
  throw new PatternError(path ? `${path}: ${message}` : message);
}
