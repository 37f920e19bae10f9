import { invalidReceiptHandle } from './errors';

/**
 * A receipt handle names one receive of one message: the queue, the message's row and its receive
 * count then. A later receive of the message makes the handle stale; SQS's `AQEB` prefix and Base64
 * keep it as opaque as SQS's own.
 */
export interface Receipt {
  queue: string;
  seq: number;
  receiveCount: number;
}

const PREFIX = 'AQEB';

export function receiptHandle(queue: string, seq: number, receiveCount: number, messageId: string): string {
  return PREFIX + Buffer.from(`${queue}/${seq}/${receiveCount}/${messageId}`).toString('base64');
}

/** The receive a handle names; ReceiptHandleIsInvalid for anything this queue did not hand out. */
export function readReceipt(handle: string, queue: string): Receipt {
  const parts = handle.startsWith(PREFIX)
    ? Buffer.from(handle.slice(PREFIX.length), 'base64').toString('utf8').split('/')
    : [];
  const [name, seq, receiveCount] = parts;
  if (parts.length !== 4 || name !== queue || !/^\d+$/.test(seq ?? '') || !/^\d+$/.test(receiveCount ?? '')) {
    throw invalidReceiptHandle(handle);
  }
  return { queue, seq: Number(seq), receiveCount: Number(receiveCount) };
}
