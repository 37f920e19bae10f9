import { originText } from '../classify/origin';
import type { EmulatorOutput } from '../emulator/emulator';
import { summaryLine } from '../emulator/output';
import type { InvocationSummary } from '../lambda/invocation-runner';
import type { LambdaErrorBody } from '../runtime/types';

/** One invocation as a test sees it. */
export interface Invocation {
  /** The function's key in serverless.yml. */
  function: string;
  requestId: string;
  /** What invoked it: `kind` is the event key (`httpApi`, `sqs`, `s3`, ...), `invoke` or `destination`. */
  source: { kind: string; model: string; detail?: string; text: string };
  type: 'RequestResponse' | 'Event' | 'DryRun';
  outcome: 'ok' | 'error' | 'throttled' | 'stopped';
  /** The event, parsed from its JSON. */
  event: unknown;
  /** What it returned, parsed, when it succeeded. */
  result?: unknown;
  /** Lambda's error shape, when it failed. */
  error?: LambdaErrorBody;
  /** Its log lines, START to REPORT. */
  logs: string[];
  /** An async event's attempt (from 1), an SQS batch's receive count. */
  attempt?: number;
  durationMs: number;
  /** Its X-Ray root, and the invocation that caused it (function and request id) when one did. */
  trace: InvocationSummary['trace'];
}

/** Which invocations: of a function, with an outcome, from a source kind, and/or matching a predicate. */
export interface InvocationFilter {
  function?: string;
  outcome?: Invocation['outcome'];
  source?: string;
  where?: (invocation: Invocation) => boolean;
}

const parsed = (json: string | undefined): unknown => {
  if (json === undefined || json === '') return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
};

function outcomeOf(status: string): Invocation['outcome'] {
  if (status === 'ok') return 'ok';
  if (status === 'throttled') return 'throttled';
  if (status.startsWith('stopped')) return 'stopped';
  return 'error';
}

export const matches = (filter: InvocationFilter) => (invocation: Invocation) =>
  (filter.function === undefined || invocation.function === filter.function) &&
  (filter.outcome === undefined || invocation.outcome === filter.outcome) &&
  (filter.source === undefined || invocation.source.kind === filter.source) &&
  (filter.where === undefined || filter.where(invocation));

/**
 * The emulator's output in a test: each invocation recorded with its event, result or error and its
 * own log lines (printed too when asked), and what is running now, for `settle`.
 */
export class Recorder implements EmulatorOutput {
  readonly invocations: Invocation[] = [];
  /** The emulator's own lines (start notes, deliveries it could not make, ...). */
  readonly lines: string[] = [];
  private readonly running = new Map<string, string[]>();
  private readonly listeners = new Set<() => void>();
  /** Counts invocations begun, so that `settle` can tell that nothing new started. */
  begun = 0;

  constructor(private readonly print?: (line: string) => void) {}

  get inFlight(): number {
    return this.running.size;
  }

  line(text: string): void {
    this.lines.push(text);
    this.print?.(text);
  }

  started(_functionKey: string, requestId: string): void {
    this.begun += 1;
    this.running.set(requestId, []);
  }

  log(functionKey: string, line: string, requestId?: string): void {
    const logs = requestId === undefined ? undefined : this.running.get(requestId);
    if (logs) logs.push(line);
    else this.lines.push(`[${functionKey}] ${line}`);
    this.print?.(`[${functionKey}] ${line}`);
  }

  invocation(summary: InvocationSummary): void {
    const logs = this.running.get(summary.requestId) ?? [];
    this.running.delete(summary.requestId);
    const { origin } = summary;
    this.invocations.push({
      function: summary.functionKey,
      requestId: summary.requestId,
      source: { kind: origin.kind, model: origin.model, detail: origin.detail, text: originText(origin) },
      type: summary.type,
      outcome: outcomeOf(summary.status),
      event: parsed(summary.event),
      ...(summary.result === undefined ? {} : { result: parsed(summary.result) }),
      ...(summary.error === undefined ? {} : { error: summary.error }),
      logs,
      ...(summary.attempt === undefined ? {} : { attempt: summary.attempt }),
      durationMs: summary.durationMs,
      trace: summary.trace,
    });
    this.print?.(summaryLine(summary));
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each invocation ends, until the returned function is called. */
  onInvocation(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.invocations.length = 0;
    this.lines.length = 0;
  }
}
