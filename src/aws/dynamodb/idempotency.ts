import type { Clock } from '../../clock';
import type { Json } from './dynalite';
import { DynamoError, validation } from './errors';

/** How long DynamoDB remembers a transaction's ClientRequestToken. */
const WINDOW_MS = 10 * 60 * 1000;

interface Entry {
  fingerprint: string;
  /** When the first request with the token succeeded; undefined while it runs. */
  at?: number;
  output?: Json;
}

/**
 * ClientRequestToken idempotency of TransactWriteItems and ExecuteTransaction: a request repeated with
 * the same token within 10 minutes (on the injected clock) of the one that succeeded answers as it did
 * without writing again; the same token with another request is IdempotentParameterMismatchException,
 * and while the first is still running TransactionInProgressException. A request that fails leaves no
 * entry (it may be retried with its token). Tokens are kept per operation, in memory.
 */
export class IdempotencyTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  async run(operation: string, input: Json, work: () => Promise<Json>): Promise<Json> {
    const token = input.ClientRequestToken;
    if (token === undefined) return work();
    if (typeof token !== 'string' || token.length < 1 || token.length > 36) {
      throw validation(
        "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
      );
    }
    this.prune();
    const key = `${operation}\n${token}`;
    const fingerprint = fingerprintOf(input);
    const known = this.entries.get(key);
    if (known) {
      if (known.fingerprint !== fingerprint) {
        throw new DynamoError(
          'IdempotentParameterMismatchException',
          'The request uses the same client token as a previous, but non-identical request.',
        );
      }
      if (known.at === undefined) {
        throw new DynamoError(
          'TransactionInProgressException',
          'The transaction with the given request token is already in progress.',
        );
      }
      return known.output ?? {};
    }
    const entry: Entry = { fingerprint };
    this.entries.set(key, entry);
    try {
      entry.output = await work();
      entry.at = this.clock.now();
      return entry.output;
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) {
      if (entry.at !== undefined && now - entry.at >= WINDOW_MS) this.entries.delete(key);
    }
  }
}

/** The request without its token, its object members in a fixed order. */
function fingerprintOf(input: Json): string {
  const { ClientRequestToken: _, ...rest } = input;
  return canonical(rest);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
