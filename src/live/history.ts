import { originText } from '../classify/origin';
import type { Clock } from '../clock';
import type { InvocationSink, InvocationSummary } from '../lambda/invocation-runner';

/** One invocation as the live view shows it. */
export interface RecordedInvocation {
  /** The history's own: an async event's attempts share their request id. */
  id: string;
  requestId: string;
  functionKey: string;
  /** `http POST /orders`, `sqs orders (pull/sync)`. */
  source: string;
  model: InvocationSummary['origin']['model'];
  type: InvocationSummary['type'];
  status: string;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  attempt?: number;
  /** The request id of the invocation that caused this one, when one did. */
  causedBy?: string;
  journey: number;
  /**
   * What happened that a developer looks for: `retry 2`, `throttled`, `partial batch failure: 2 of 5`,
   * `error`, and what became of the event afterwards (`bisected`, `onFailure failed-events`, `dropped`).
   */
  marks: string[];
  event: string;
  result?: string;
  error?: InvocationSummary['error'];
  lines: string[];
}

/** An outside request or event and every invocation it caused. */
export interface Journey {
  id: number;
  startedAt: number;
  lastAt: number;
  /** Its invocations' ids, oldest first. */
  ids: string[];
}

export interface JourneySummary {
  id: number;
  startedAt: number;
  lastAt: number;
  /** The first invocation's function and source. */
  title: string;
  invocations: number;
  functions: string[];
  marks: string[];
}

// Enough to look back at a busy afternoon; each invocation keeps its own lines, the latest 200.
const HISTORY_LIMIT = 10_000;
const LINES_PER_INVOCATION = 200;

/**
 * The invocations of the running emulator, the latest 10,000, grouped into journeys by their causes
 * (`InvocationSummary.trace.causedBy`). It is an InvocationSink beside the console's: what it keeps costs
 * a slot of a ring and a map entry per invocation, and one array push per log line.
 */
export class InvocationHistory implements InvocationSink {
  /** The latest `limit` invocations, the one numbered n at n % limit: a ring, overwritten oldest first. */
  private readonly ring: Array<RecordedInvocation | undefined>;
  /** A request id's latest invocation. */
  private readonly latest = new Map<string, RecordedInvocation>();
  private nextId = 1;
  private readonly running = new Map<string, { startedAt: number; lines: string[] }>();
  private readonly journeys = new Map<number, Journey>();
  private nextJourney = 1;
  /** Messages the live view moved out of a DLQ, until an invocation receives them. */
  private readonly redriven = new Set<string>();
  private readonly listeners = new Set<(invocation: RecordedInvocation) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly limit = HISTORY_LIMIT,
  ) {
    this.ring = new Array<RecordedInvocation | undefined>(limit);
  }

  started(_functionKey: string, requestId: string): void {
    this.running.set(requestId, { startedAt: this.clock.now(), lines: [] });
  }

  log(_functionKey: string, line: string, requestId?: string): void {
    const lines = requestId === undefined ? undefined : this.running.get(requestId)?.lines;
    if (lines && lines.length < LINES_PER_INVOCATION) lines.push(line);
  }

  invocation(summary: InvocationSummary): void {
    const endedAt = this.clock.now();
    const { requestId } = summary;
    const running = this.running.get(requestId);
    if (running) this.running.delete(requestId);
    const startedAt = running ? running.startedAt : endedAt;
    const causedBy = summary.trace.causedBy?.requestId;
    const journey = this.journeyFor(causedBy, startedAt, requestId);
    const number = this.nextId++;
    // Built by assignment, not spreads: this runs once per invocation (see invocation-runner.ts).
    const invocation: RecordedInvocation = {
      id: String(number),
      requestId,
      functionKey: summary.functionKey,
      source: originText(summary.origin),
      model: summary.origin.model,
      type: summary.type,
      status: summary.status,
      startedAt,
      endedAt,
      durationMs: summary.durationMs,
      journey: journey.id,
      marks: this.marksOf(summary),
      event: summary.event,
      lines: running ? running.lines : [],
    };
    if (summary.attempt !== undefined) invocation.attempt = summary.attempt;
    if (causedBy !== undefined) invocation.causedBy = causedBy;
    if (summary.result !== undefined) invocation.result = summary.result;
    if (summary.error !== undefined) invocation.error = summary.error;
    const slot = number % this.limit;
    const oldest = this.ring[slot];
    if (oldest) this.forget(oldest);
    this.ring[slot] = invocation;
    this.latest.set(requestId, invocation);
    journey.ids.push(invocation.id);
    this.wentOn(journey, endedAt);
    for (const listener of this.listeners) listener(invocation);
  }

  /** What became of an invocation's event afterwards: a mark on its latest invocation. */
  outcome(requestId: string, mark: string): void {
    const invocation = this.byRequestId(requestId);
    if (!invocation) return;
    invocation.marks.push(mark);
    const journey = this.journeys.get(invocation.journey);
    if (journey) this.wentOn(journey, this.clock.now());
    for (const listener of this.listeners) listener(invocation);
  }

  /** Calls `listener` after each invocation is recorded; returns the unsubscribe. */
  onInvocation(listener: (invocation: RecordedInvocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** SQS messages sent back from a DLQ (their new ids): the invocation that receives one is marked. */
  redrove(messageIds: string[]): void {
    for (const id of messageIds) this.redriven.add(id);
  }

  get(id: string): RecordedInvocation | undefined {
    const invocation = /^[1-9]\d*$/.test(id) ? this.ring[Number(id) % this.limit] : undefined;
    return invocation?.id === id ? invocation : undefined;
  }

  byRequestId(requestId: string): RecordedInvocation | undefined {
    return this.latest.get(requestId);
  }

  journey(id: number): { journey: JourneySummary; invocations: RecordedInvocation[] } | undefined {
    const journey = this.journeys.get(id);
    if (!journey) return undefined;
    return { journey: this.summaryOf(journey), invocations: this.invocationsOf(journey) };
  }

  /** The journeys that went on most recently first, `limit` of them, from those older than `before`. */
  latestJourneys(limit: number, before?: number): { journeys: JourneySummary[]; total: number } {
    const all = [...this.journeys.values()].reverse();
    const from = before === undefined ? 0 : all.findIndex((journey) => journey.lastAt < before);
    const page = from < 0 ? [] : all.slice(from, from + limit);
    return { journeys: page.map((journey) => this.summaryOf(journey)), total: this.journeys.size };
  }

  get size(): number {
    return Math.min(this.nextId - 1, this.limit);
  }

  /** The journey of the invocation's cause, else a new one. An async retry goes on its first attempt's. */
  private journeyFor(causedBy: string | undefined, at: number, requestId: string): Journey {
    const cause = this.byRequestId(causedBy ?? requestId);
    const existing = cause && this.journeys.get(cause.journey);
    if (existing) return existing;
    const journey = { id: this.nextJourney++, startedAt: at, lastAt: at, ids: [] };
    this.journeys.set(journey.id, journey);
    return journey;
  }

  /** A journey that goes on moves to the front of the list. */
  private wentOn(journey: Journey, at: number): void {
    journey.lastAt = at;
    this.journeys.delete(journey.id);
    this.journeys.set(journey.id, journey);
  }

  /** What a developer looks for in an invocation: its summary's marks, and a redrive that reached it. */
  private marksOf(summary: InvocationSummary): string[] {
    const marks = marksOf(summary);
    if (this.redriven.size === 0 || summary.origin.model !== 'pull') return marks;
    const received = messageIdsIn(summary.event).filter((id) => this.redriven.delete(id));
    if (received.length > 0) marks.push(`redriven from the DLQ: ${received.length}`);
    return marks;
  }

  /** The history's oldest invocation, about to be overwritten. */
  private forget(oldest: RecordedInvocation): void {
    if (this.latest.get(oldest.requestId) === oldest) this.latest.delete(oldest.requestId);
    const journey = this.journeys.get(oldest.journey);
    if (!journey) return;
    // Its oldest invocation is the history's oldest.
    journey.ids.shift();
    if (journey.ids.length === 0) this.journeys.delete(journey.id);
  }

  private invocationsOf(journey: Journey): RecordedInvocation[] {
    return journey.ids.flatMap((id) => this.get(id) ?? []);
  }

  private summaryOf(journey: Journey): JourneySummary {
    const invocations = this.invocationsOf(journey);
    const first = invocations[0];
    return {
      id: journey.id,
      startedAt: journey.startedAt,
      lastAt: journey.lastAt,
      title: first ? `${first.functionKey} ← ${first.source}` : '',
      invocations: invocations.length,
      functions: [...new Set(invocations.map((invocation) => invocation.functionKey))],
      marks: [...new Set(invocations.flatMap((invocation) => invocation.marks))],
    };
  }
}

/** What a developer looks for in an invocation, from its summary. */
function marksOf(summary: InvocationSummary): string[] {
  const marks: string[] = [];
  if (summary.attempt !== undefined && summary.attempt > 1) {
    marks.push(
      summary.origin.model === 'pull' ? `received ${summary.attempt} times` : `retry ${summary.attempt - 1}`,
    );
  }
  if (summary.status === 'throttled') marks.push('throttled');
  else if (summary.status.startsWith('stopped')) marks.push('recursive loop stopped');
  else if (summary.error) marks.push('error');
  const failures = partialFailures(summary);
  if (failures !== undefined) marks.push(`partial batch failure: ${failures} of ${recordsIn(summary.event)}`);
  return marks;
}

function partialFailures(summary: InvocationSummary): number | undefined {
  if (summary.result === undefined || !summary.result.includes('batchItemFailures')) return undefined;
  try {
    const list = (JSON.parse(summary.result) as { batchItemFailures?: unknown }).batchItemFailures;
    return Array.isArray(list) && list.length > 0 ? list.length : undefined;
  } catch {
    return undefined;
  }
}

function recordsOf(event: string): Array<{ messageId?: unknown }> | undefined {
  try {
    const records = (JSON.parse(event) as { Records?: unknown }).Records;
    return Array.isArray(records) ? (records as Array<{ messageId?: unknown }>) : undefined;
  } catch {
    return undefined;
  }
}

const recordsIn = (event: string) => recordsOf(event)?.length ?? 1;

const messageIdsIn = (event: string) =>
  (recordsOf(event) ?? []).flatMap(({ messageId }) => (typeof messageId === 'string' ? [messageId] : []));
