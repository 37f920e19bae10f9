import type { Clock } from '../../clock';
import type { Db } from '../../state/database';

/** A message attribute as SQS stores it: a string (String, Number and their custom types) or bytes. */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/** A queue the service defines: created at every start with these attributes (as CreateQueue takes them). */
export interface QueueSpec {
  name: string;
  attributes: Record<string, string>;
}

export interface SqsServiceOptions {
  db: Db;
  region: string;
  accountId: string;
  queues: QueueSpec[];
  /** Time, and the timers of long polls (default: the system clock). */
  clock?: Clock;
  newId?: () => string;
  /** Where what SQS does on its own is told (a redrive to a dead-letter queue). */
  log?: (line: string) => void;
}
