import type { Origin } from '../classify/origin';
import { formatTrace, lineageHash, newSegmentId, newTraceRoot, parseTrace } from './trace-id';
import { BoundedMap } from '../bounded-map';

/**
 * "If your function is invoked more than 16 times by the same triggering event, Lambda stops the next
 * invocation in that request chain" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html).
 */
export const RECURSION_LIMIT = 16;

/**
 * The sources whose loops Lambda detects: SQS, SNS and S3, and functions invoking each other
 * (the Invoke API, and destinations: a DLQ or destination that feeds the trigger "will also be
 * terminated"). A chain also passes through other services (EventBridge carries the trace header), but
 * an invocation by one of those is never stopped.
 */
const DETECTED: ReadonlySet<Origin['kind']> = new Set(['sqs', 'sns', 's3', 'invoke', 'destination']);

/** The invocation that made the call which caused another. */
export interface Cause {
  functionKey: string;
  requestId: string;
}

/** What a function runs in: its trace header, and where it comes from. */
export interface InvocationTrace {
  /** What the function gets as `_X_AMZN_TRACE_ID`. */
  header: string;
  root: string;
  /** Absent for an outside request or event, or a cause no longer remembered. */
  causedBy?: Cause;
  /** How many times the chain invoked the function before this invocation. */
  count: number;
  /** Set when Lambda stops the invocation as a recursive loop: the chain's functions, oldest first. */
  loop?: string[];
}

export interface TracedFunction {
  key: string;
  arn: string;
  recursiveLoop: 'Allow' | 'Terminate';
}

interface Link extends Cause {
  /** The segment of the invocation that caused this one. */
  parent?: string;
}

// Enough for any chain Lambda lets run, and for the invocations a developer looks back at.
const REMEMBERED = 10_000;
const LONGEST_CHAIN = 64;

/**
 * Each invocation's trace: it continues its caller's (root and lineage, with this function counted
 * once more), gets a segment of its own, and is linked to the invocation whose segment its caller's
 * header names. The links are kept in memory, the latest 10,000.
 */
export class TraceLineage {
  private readonly links = new BoundedMap<string, Link>(REMEMBERED);
  /** Each function's key in a lineage, hashed once. */
  private readonly hashes = new Map<string, string>();

  begin(
    fn: TracedFunction,
    callerHeader: string | undefined,
    origin: Origin,
    requestId: string,
    nowMs: number,
    /** The trace header of the write a stream's records came from: the cause only, not the trace. */
    causeHeader?: string,
  ) {
    const caller = parseTrace(callerHeader);
    const hash = this.hashOf(fn.arn);
    const count = (caller.lineage.get(hash) ?? -1) + 1;
    caller.lineage.set(hash, count);
    const root = caller.root ?? newTraceRoot(nowMs);
    const segment = newSegmentId();
    const causeSegment =
      caller.parent ?? (causeHeader === undefined ? undefined : parseTrace(causeHeader).parent);
    const cause = causeSegment === undefined ? undefined : this.links.get(causeSegment);
    const trace: InvocationTrace = { header: formatTrace(root, segment, caller.lineage), root, count };
    if (cause) trace.causedBy = { functionKey: cause.functionKey, requestId: cause.requestId };
    if (count >= RECURSION_LIMIT && fn.recursiveLoop !== 'Allow' && DETECTED.has(origin.kind)) {
      trace.loop = [...this.chain(caller.parent), fn.key];
      return trace;
    }
    this.links.set(segment, { functionKey: fn.key, requestId, parent: caller.parent });
    return trace;
  }

  private hashOf(arn: string): string {
    let hash = this.hashes.get(arn);
    if (hash === undefined) this.hashes.set(arn, (hash = lineageHash(arn)));
    return hash;
  }

  /** The functions of the chain that ends with the invocation of `segment`, oldest first. */
  private chain(segment: string | undefined): string[] {
    const keys: string[] = [];
    for (let link = segment && this.links.get(segment); link && keys.length < LONGEST_CHAIN;) {
      keys.unshift(link.functionKey);
      link = link.parent && this.links.get(link.parent);
    }
    return keys;
  }
}

/**
 * A chain as the log shows it, its loop counted: `api → worker ×16`, `api → (relay → worker) ×16`. The
 * loop is the repeated tail that covers the most invocations (cycles of up to 8 functions).
 */
export function chainText(keys: string[]): string {
  let best = { period: 1, times: 1 };
  for (let period = 1; period <= Math.min(8, keys.length); period += 1) {
    const times = repeatsAtEnd(keys, period);
    if (times > 1 && period * times > best.period * best.times) best = { period, times };
  }
  const loopStart = keys.length - best.period * best.times;
  const cycle = keys.slice(keys.length - best.period);
  const loop =
    best.times === 1 ? cycle[0] : `${best.period === 1 ? cycle[0] : `(${cycle.join(' → ')})`} ×${best.times}`;
  return [...keys.slice(0, best.times === 1 ? keys.length - 1 : loopStart), loop]
    .filter((text) => text !== undefined)
    .join(' → ');
}

/** How many times the last `period` keys repeat back to back at the end of the chain. */
function repeatsAtEnd(keys: string[], period: number): number {
  let times = 1;
  for (let start = keys.length - 2 * period; start >= 0; start -= period) {
    const same = keys.slice(start, start + period).every((key, i) => key === keys[keys.length - period + i]);
    if (!same) break;
    times += 1;
  }
  return times;
}
