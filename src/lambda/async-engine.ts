import type { Origin } from '../classify/origin';
import type { Reference } from '../service/model';
import type { AsyncStore, QueuedEvent } from './async-store';
import {
  deadLetterAttributes,
  invocationRecord,
  type Condition,
  type Delivery,
  type PendingDelivery,
} from './async-records';
import type { Clock } from '../clock';
import type { InvokeOutcome } from './types';
import { plural } from '../plural';
import { LambdaServiceError } from './errors';

/** An attempt Lambda refused to run (a recursive loop), as the records and DLQ attributes show it. */
const stoppedOutcome = (error: LambdaServiceError) => ({
  payload: JSON.stringify({ errorType: error.code, errorMessage: error.message }),
  functionError: 'Unhandled' as const,
});

/** A function's asynchronous invocation settings, with Lambda's defaults applied. */
export interface AsyncSettings {
  functionArn: string;
  maximumRetryAttempts: number;
  /** Seconds. */
  maximumEventAge: number;
  reservedConcurrency?: number;
  onSuccess?: Reference;
  onFailure?: Reference;
  deadLetter?: Reference;
}

export type { Delivery } from './async-records';

/** Sends records to destinations and events to dead-letter queues (functions, queues, topics, buses). */
export interface DestinationSender {
  send(target: Reference, delivery: Delivery, functionKey: string, traceHeader?: string): Promise<void>;
}

/**
 * Runs one attempt of an event (its `attempts` are those made before); `undefined` when the function is
 * throttled (at its concurrency limit).
 */
export type Attempt = (event: QueuedEvent) => Promise<InvokeOutcome | undefined>;

// AWS's delays: 1 minute before the second attempt, 2 minutes before the third.
const RETRY_DELAYS_MS = [60_000, 120_000];

export interface AsyncEngineDeps {
  store: AsyncStore;
  clock: Clock;
  /** Multiplies AWS's retry and throttle delays (1 = AWS's timing). */
  retryDelayScale: number;
  settings: Map<string, AsyncSettings>;
  attempt: Attempt;
  destinations: DestinationSender;
  log: (functionKey: string, line: string) => void;
  /** What became of an event after an attempt (`retried`, `sent to onFailure`, `dropped`), by request id. */
  outcome: (requestId: string, mark: string) => void;
}

/**
 * Lambda's asynchronous invocation: a durable queue per function, retries of function errors with
 * AWS's delays, throttled events held (without spending attempts) until an instance is free or the
 * event's maximum age, then the on-failure destination and/or DLQ; successes to the on-success
 * destination. The outcome that ends an event is recorded in its row with the deliveries it calls for,
 * which are then made, and only then does the event leave the queue: a restart in between makes the
 * deliveries left, and never runs the function again.
 */
export class AsyncEngine {
  /** Events being attempted, or waiting for a free instance; the store holds them leased. */
  private readonly inFlight = new Set<string>();
  /** Per function, throttled events in arrival order: each finished invocation lets the next one run. */
  private readonly waiting = new Map<string, QueuedEvent[]>();
  private timer: unknown;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly deps: AsyncEngineDeps) {}

  /** Queues an event durably, then attempts it at once. */
  accept(
    functionKey: string,
    payload: string,
    origin: Origin,
    requestId: string,
    traceHeader?: string,
  ): void {
    const now = this.deps.clock.now();
    const event = {
      id: requestId,
      functionKey,
      payload,
      origin,
      traceHeader,
      acceptedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    };
    this.deps.store.add(event, true);
    this.dispatch(event);
  }

  /** Picks up what was queued before a restart. */
  start(): void {
    this.stopped = false;
    this.deps.store.releaseLeases(this.deps.clock.now());
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /**
   * A function finished an invocation: its longest-waiting throttled event runs now. (AWS retries a
   * throttled event with backoff from 1 second to 5 minutes; locally it runs as soon as an instance is
   * free, which is as soon as AWS's retry could succeed, without spending an attempt.)
   */
  capacityFreed(functionKey: string): void {
    const next = this.waiting.get(functionKey)?.shift();
    if (next && !this.stopped) this.run(next);
  }

  /** Attempts what is due now (retries whose delay has passed, events picked up after a restart). */
  private poke(): void {
    if (this.stopped) return;
    for (const event of this.deps.store.due(this.deps.clock.now())) {
      if (this.inFlight.has(event.id)) continue;
      this.deps.store.lease(event.id);
      this.dispatch(event);
    }
    this.schedule();
  }

  private dispatch(event: QueuedEvent): void {
    this.inFlight.add(event.id);
    this.run(event);
  }

  private run(event: QueuedEvent): void {
    void this.process(event).then((next) => {
      if (next === 'throttled') return;
      this.inFlight.delete(event.id);
      // Only a retry adds a due time; an ended event leaves the timer as it is.
      if (next === 'retry') this.schedule();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.deps.store.nextDueAt();
    if (next === undefined || next >= this.timerAt) return;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.deps.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.poke();
      },
      Math.max(0, next - this.deps.clock.now()),
    );
  }

  /** One try of an event: it ended, waits for a retry, or (throttled) waits for an instance. */
  private async process(event: QueuedEvent): Promise<'ended' | 'retry' | 'throttled'> {
    if (event.ending) {
      await this.end(event, event.ending);
      return 'ended';
    }
    const settings = this.deps.settings.get(event.functionKey);
    if (!settings) {
      this.deps.store.remove(event.id);
      return 'ended';
    }
    const now = this.deps.clock.now();
    if (settings.reservedConcurrency === 0) {
      await this.fail(event, settings, 'RetriesExhausted');
      return 'ended';
    }
    if (now - event.acceptedAt > settings.maximumEventAge * 1000) {
      await this.fail(event, settings, 'EventAgeExceeded');
      return 'ended';
    }
    let outcome: InvokeOutcome | undefined;
    try {
      outcome = await this.deps.attempt(event);
    } catch (error) {
      // A recursive loop: Lambda sends the event to the on-failure destination or DLQ at once.
      if (!(error instanceof LambdaServiceError)) throw error;
      await this.fail(event, settings, 'RetriesExhausted', stoppedOutcome(error));
      return 'ended';
    }
    // Stopped meanwhile (the state may be closed): the event stays leased, and the next start runs it again.
    if (this.stopped) return 'ended';
    if (!outcome) {
      const queue = this.waiting.get(event.functionKey) ?? [];
      queue.push(event);
      this.waiting.set(event.functionKey, queue);
      return 'throttled';
    }
    const attempts = event.attempts + 1;
    if (!outcome.functionError) {
      await this.succeed({ ...event, attempts }, settings, outcome);
      return 'ended';
    }
    const failed = { ...event, attempts, lastError: outcome.payload };
    if (attempts > settings.maximumRetryAttempts) {
      await this.fail(failed, settings, 'RetriesExhausted', outcome);
      return 'ended';
    }
    this.deps.log(event.functionKey, `async event ${event.id}: attempt ${attempts} failed, retrying`);
    this.deps.outcome(event.id, 'retried');
    this.reschedule(failed, RETRY_DELAYS_MS[attempts - 1] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]);
    return 'retry';
  }

  private reschedule(event: QueuedEvent, delayMs: number): void {
    this.deps.store.reschedule({
      ...event,
      nextAttemptAt: this.deps.clock.now() + delayMs * this.deps.retryDelayScale,
    });
  }

  private async succeed(event: QueuedEvent, settings: AsyncSettings, outcome: InvokeOutcome): Promise<void> {
    const deliveries: PendingDelivery[] = [];
    if (settings.onSuccess) {
      const record = this.record(event, settings, 'Success', outcome);
      deliveries.push({
        target: settings.onSuccess,
        delivery: { kind: 'destination', record, success: true },
        traceHeader: outcome.traceHeader,
      });
      this.deps.outcome(event.id, 'sent to onSuccess');
    }
    await this.end(event, deliveries);
  }

  private async fail(
    event: QueuedEvent,
    settings: AsyncSettings,
    condition: Condition,
    outcome?: Pick<InvokeOutcome, 'payload' | 'functionError' | 'traceHeader'>,
  ): Promise<void> {
    const traceHeader = outcome?.traceHeader ?? event.traceHeader;
    const last =
      outcome ??
      (event.lastError ? { payload: event.lastError, functionError: 'Unhandled' as const } : undefined);
    const { onFailure, deadLetter } = settings;
    const deliveries: PendingDelivery[] = [];
    const fates: string[] = [];
    if (onFailure) {
      const record = this.record(event, settings, condition, last);
      deliveries.push({
        target: onFailure,
        delivery: { kind: 'destination', record, success: false },
        traceHeader,
      });
      fates.push('sent to onFailure');
    }
    if (deadLetter) {
      const attributes = deadLetterAttributes(event.id, last);
      deliveries.push({
        target: deadLetter,
        delivery: { kind: 'dead-letter', event: event.payload, attributes },
        traceHeader,
      });
      fates.push('sent to the DLQ');
    }
    this.deps.outcome(event.id, `${condition}: ${fates.join(', ') || 'dropped'}`);
    if (deliveries.length === 0) {
      this.deps.log(
        event.functionKey,
        `async event ${event.id} dropped (${condition} after ${plural(event.attempts, 'attempt')}): the function has no destinations.onFailure or onError`,
      );
    }
    await this.end(event, deliveries);
  }

  /**
   * Ends an event: before each delivery, the row records what is left to deliver (the first write is the
   * durable ending); once all are made, the row goes.
   */
  private async end(event: QueuedEvent, deliveries: PendingDelivery[]): Promise<void> {
    for (let left = deliveries; left.length > 0; left = left.slice(1)) {
      if (this.stopped) return;
      this.deps.store.end(event.id, left);
      await this.deliver(event, left[0]);
    }
    if (!this.stopped) this.deps.store.remove(event.id);
  }

  private record(
    event: QueuedEvent,
    settings: AsyncSettings,
    condition: Condition,
    outcome?: Pick<InvokeOutcome, 'payload' | 'functionError'>,
  ) {
    return invocationRecord({
      requestId: event.id,
      functionArn: settings.functionArn,
      condition,
      invokeCount: event.attempts,
      payload: event.payload,
      outcome,
      now: this.deps.clock.now(),
    });
  }

  /** A failed delivery is logged, as Lambda records DestinationDeliveryFailures; the event is not retried. */
  private async deliver(
    event: QueuedEvent,
    { target, delivery, traceHeader }: PendingDelivery,
  ): Promise<void> {
    try {
      await this.deps.destinations.send(target, delivery, event.functionKey, traceHeader);
    } catch (error) {
      this.deps.log(
        event.functionKey,
        `async event ${event.id}: delivery to ${target.text} failed: ${(error as Error).message}`,
      );
    }
  }
}
