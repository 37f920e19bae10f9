import { checkBatch, eachEntry } from './batch';
import { intParam, queueParam, requiredString, type Operation, type SqsContext } from './context';
import { invalidValue, missingParameter, SqsError } from './errors';
import type { Queue } from './queues';
import { readReceipt } from './receipts';

/**
 * Deletes the message a receipt handle names. A handle from an earlier receive than the message's
 * latest, or of a message already deleted, deletes nothing and still succeeds, as in SQS.
 */
function deleteOne(context: SqsContext, queue: Queue, input: Record<string, unknown>): void {
  const receipt = readReceipt(requiredString(input, 'ReceiptHandle'), queue.name);
  if (context.store.deleteReceived(queue.name, receipt.seq, receipt.receiveCount) && queue.fifo) {
    context.waiters.notify(queue.name);
  }
}

/** Sets the visibility timeout of the in-flight message a receipt handle names, from now. */
function changeOne(context: SqsContext, queue: Queue, input: Record<string, unknown>): void {
  const handle = requiredString(input, 'ReceiptHandle');
  const receipt = readReceipt(handle, queue.name);
  if (input.VisibilityTimeout === undefined || input.VisibilityTimeout === null) {
    throw missingParameter('VisibilityTimeout');
  }
  const seconds = intParam(input, 'VisibilityTimeout', [0, 43200], 'Must be between 0 and 43200.') as number;
  const now = context.clock.now();
  if (
    context.store.changeVisibility(queue.name, receipt.seq, receipt.receiveCount, now + seconds * 1000, now)
  ) {
    if (seconds === 0) context.waiters.notify(queue.name);
    else context.waiters.visibilityChanged(queue.name);
    return;
  }
  const message = context.store.message(queue.name, receipt.seq);
  if (message && message.receive_count === receipt.receiveCount) {
    throw new SqsError('MessageNotInflight', 'The message referred to is not in flight.');
  }
  throw invalidValue(
    'ReceiptHandle',
    handle,
    'Message does not exist or is not available for visibility timeout change.',
  );
}

export const deleteMessage: Operation = (context, input) => {
  deleteOne(context, queueParam(context, input), input);
  return undefined;
};

export const deleteMessageBatch: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const entries = checkBatch(input, 'DeleteMessageBatchRequestEntry');
  return {
    ...context.store.transaction(() => eachEntry(entries, (entry) => (deleteOne(context, queue, entry), {}))),
  };
};

export const changeMessageVisibility: Operation = (context, input) => {
  changeOne(context, queueParam(context, input), input);
  return undefined;
};

export const changeMessageVisibilityBatch: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const entries = checkBatch(input, 'ChangeMessageVisibilityBatchRequestEntry');
  return {
    ...context.store.transaction(() => eachEntry(entries, (entry) => (changeOne(context, queue, entry), {}))),
  };
};
