import { SqsError } from './errors';

const MAX_ENTRIES = 10;
const ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface FailedEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export interface BatchResult {
  Successful: Array<Record<string, unknown>>;
  Failed: FailedEntry[];
}

/**
 * The Entries of a batch request, checked as SQS checks them before it acts on any: at least one,
 * at most 10, ids of letters, digits, `-` and `_`, and distinct. `entryName` is the Query name of an
 * entry (`SendMessageBatchRequestEntry`), which SQS's messages use.
 */
export function checkBatch(
  input: Record<string, unknown>,
  entryName: string,
): Array<Record<string, unknown>> {
  const entries = Array.isArray(input.Entries)
    ? input.Entries.filter(
        (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
      )
    : [];
  if (entries.length === 0) {
    throw new SqsError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > MAX_ENTRIES) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const { Id } of entries) {
    if (typeof Id !== 'string' || !ID.test(Id)) {
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(Id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    seen.add(Id);
  }
  return entries;
}

export function failedEntry(Id: string, error: SqsError): FailedEntry {
  return { Id, SenderFault: error.senderFault, Code: error.code, Message: error.message };
}

/** Runs `act` on every entry, each succeeding or failing on its own. */
export function eachEntry(
  entries: Array<Record<string, unknown>>,
  act: (entry: Record<string, unknown>) => Record<string, unknown>,
): BatchResult {
  const result: BatchResult = { Successful: [], Failed: [] };
  for (const entry of entries) {
    const Id = entry.Id as string;
    try {
      result.Successful.push({ Id, ...act(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      result.Failed.push(failedEntry(Id, error));
    }
  }
  return result;
}
