import { isoSeconds } from '../../clock';
import { validation } from './errors';
import type { EventBridgeEvent } from './types';
import { busNameOf, type Input, type Place } from './wire';

/** One PutEvents result entry: the event's id, or why it was refused. */
export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** The 256 KB limit on a PutEvents request (eb-putevent-size). */
const MAX_REQUEST_BYTES = 256 * 1024;

/** The entries of a PutEvents request, with the request-level checks AWS makes (1 to 10, 256 KB). */
export function entriesOf(input: Input): Input[] {
  const entries = input.Entries;
  const prefix =
    "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint:";
  if (!Array.isArray(entries)) {
    throw validation(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1) throw validation(`${prefix} Member must have length greater than or equal to 1`);
  if (entries.length > 10) throw validation(`${prefix} Member must have length less than or equal to 10`);
  if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) {
    throw validation('Total size of the entries in the request is over the limit.');
  }
  return entries.map((entry) => (entry !== null && typeof entry === 'object' ? (entry as Input) : {}));
}

/**
 * Checks one entry as PutEvents does, answering the per-entry error (the request itself succeeds):
 * Source, DetailType and Detail are required, and Detail must be the JSON text of an object.
 */
export function entryError(entry: Input): EntryResult | undefined {
  for (const key of ['Source', 'DetailType', 'Detail']) {
    const value = entry[key];
    if (typeof value !== 'string' || value === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${key} is not valid. Reason: ${key} is a required argument.`,
      };
    }
  }
  try {
    const detail: unknown = JSON.parse(entry.Detail as string);
    if (detail !== null && typeof detail === 'object' && !Array.isArray(detail)) return undefined;
  } catch {
    // reported below
  }
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}

/** The bus an entry goes to (EventBusName, a name or an ARN; default when absent). */
export function entryBus(entry: Input): string {
  return busNameOf(entry.EventBusName);
}

/** The event EventBridge builds from a valid entry (eb-events: the event structure). */
export function buildEvent(entry: Input, place: Place, id: string, now: Date): EventBridgeEvent {
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.filter((r) => typeof r === 'string')
    : [];
  return {
    version: '0',
    id,
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: place.accountId,
    time: isoSeconds(timeOf(entry.Time) ?? now),
    region: place.region,
    resources,
    detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
  };
}

/** An entry's Time: epoch seconds (how SDKs send timestamps in JSON 1.1) or an ISO string. */
function timeOf(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
}
