import type { Clock } from '../../clock';
import type { InvokeOutcome, InvokeRequest, Invoker } from '../../lambda/types';

/**
 * One invocation raced against the front's own limit (API Gateway's integration timeout). When the limit
 * passes first the caller answers the client, but the invocation is not cancelled: it runs on to the
 * function's own timeout, as in AWS, and its late result is dropped.
 */

export type Settled =
  { type: 'outcome'; outcome: InvokeOutcome } | { type: 'rejected'; error: unknown } | { type: 'timeout' };

export function invokeWithin(
  invoker: Invoker,
  functionName: string,
  request: InvokeRequest,
  limit: { ms: number; clock: Clock } | undefined,
): Promise<Settled> {
  let invocation: Promise<Settled>;
  try {
    invocation = invoker.invoke(functionName, request).then(
      (outcome): Settled => ({ type: 'outcome', outcome }),
      (error: unknown): Settled => ({ type: 'rejected', error }),
    );
  } catch (error) {
    return Promise.resolve({ type: 'rejected', error });
  }
  if (limit === undefined) return invocation;
  const { ms, clock } = limit;
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve({ type: 'timeout' }), ms);
    void invocation.then((settled) => {
      clock.clearTimeout(timer);
      resolve(settled);
    });
  });
}
