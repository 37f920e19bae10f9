import type { Clock } from '../clock';
import { readBatchResponse } from './batch-response';
import type { BatchInvocation } from './invoke-batch';
import type { StreamPulled } from './stream-records';

export interface StreamRetryPolicy {
  /** -1: until the records expire. */
  maximumRetryAttempts: number;
  /** Seconds; -1: no limit. */
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** Pause before a batch is retried. */
  retryDelayMs: number;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface Discarded {
  records: StreamPulled[];
  condition: DiscardCondition;
  invokeCount: number;
  /** The last invocation's result, when the function ran. */
  last?: BatchInvocation;
}

interface Pending {
  records: StreamPulled[];
  attempts: number;
  invokes: number;
  last?: BatchInvocation;
}

/**
 * Delivers one batch of a shard the way a stream event source mapping does: the shard stays blocked
 * while the batch is retried; a function error (or a partial-batch response, from the lowest failed
 * sequence number) is retried until `maximumRetryAttempts`; a throttle is retried without spending an
 * attempt; `bisectBatchOnFunctionError` splits a failed batch in two without spending one; records older
 * than `maximumRecordAgeInSeconds` are given up. What is given up goes to `discard` (the on-failure
 * destination). `accepts` lets a caller reject a response that returned (a tumbling window without
 * `state`). Resolves `false` when stopped before the batch was settled.
 */
export async function deliverWithRetries(
  records: StreamPulled[],
  invoke: (records: StreamPulled[]) => Promise<BatchInvocation>,
  options: {
    policy: StreamRetryPolicy;
    clock: Clock;
    running: () => boolean;
    discard: (discarded: Discarded) => Promise<void>;
    /** Marks an invocation's fate (retried, bisected) in the live view's history. */
    outcome: (requestId: string, mark: string) => void;
    accepts?: (payload: string) => boolean;
  },
): Promise<boolean> {
  const { policy, clock } = options;
  const pending: Pending[] = [{ records, attempts: 0, invokes: 0 }];
  const sleep = () => new Promise<void>((resolve) => clock.setTimeout(resolve, policy.retryDelayMs));
  while (pending.length) {
    if (!options.running()) return false;
    const item = pending[0];
    const oldest = item.records[0]?.arrivalMs;
    if (
      policy.maximumRecordAgeInSeconds >= 0 &&
      oldest !== undefined &&
      clock.now() - oldest > policy.maximumRecordAgeInSeconds * 1000
    ) {
      await options.discard({ ...item, condition: 'RecordAgeExceeded', invokeCount: item.invokes });
      pending.shift();
      continue;
    }
    const result = await invoke(item.records);
    if (result.kind === 'not-invoked') {
      await sleep();
      continue;
    }
    item.invokes++;
    item.last = result;
    const failedFrom = failedIndex(item.records, result, policy, options.accepts);
    if (failedFrom === -1) {
      pending.shift();
      continue;
    }
    const remaining = item.records.slice(failedFrom);
    if (failedFrom > 0) options.outcome(result.requestId, `checkpointed before record ${failedFrom + 1}`);
    if (policy.bisectBatchOnFunctionError && (failedFrom > 0 || remaining.length > 1)) {
      // Splitting spends no attempt: at the failed sequence number, else in halves.
      const at = failedFrom > 0 ? 0 : Math.ceil(remaining.length / 2);
      if (at > 0) options.outcome(result.requestId, `bisected: ${at} + ${remaining.length - at} records`);
      const parts = at === 0 ? [remaining] : [remaining.slice(0, at), remaining.slice(at)];
      pending.splice(0, 1, ...parts.map((part) => ({ records: part, attempts: item.attempts, invokes: 0 })));
    } else {
      item.records = remaining;
      item.attempts++;
      if (policy.maximumRetryAttempts !== -1 && item.attempts > policy.maximumRetryAttempts) {
        await options.discard({ ...item, condition: 'RetryAttemptsExhausted', invokeCount: item.invokes });
        pending.shift();
        continue;
      }
      options.outcome(result.requestId, 'retried: the shard waits');
    }
    await sleep();
  }
  return true;
}

/** Where the batch failed from: -1 when it succeeded, 0 when it failed as a whole. */
function failedIndex(
  records: StreamPulled[],
  result: Exclude<BatchInvocation, { kind: 'not-invoked' }>,
  policy: StreamRetryPolicy,
  accepts?: (payload: string) => boolean,
): number {
  if (result.kind === 'failed') return 0;
  if (accepts && !accepts(result.payload)) return 0;
  if (!policy.reportBatchItemFailures) return -1;
  const response = readBatchResponse(result.payload, new Set(records.map((r) => r.sequenceNumber)));
  if (response.kind === 'success') return -1;
  if (response.kind === 'invalid') return 0;
  const failed = new Set(response.failed);
  // Lambda checkpoints at the lowest failed sequence number and retries everything from there.
  return records.findIndex((r) => failed.has(r.sequenceNumber));
}
