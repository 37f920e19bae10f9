import { originText, type SourceOrigin } from '../../classify/origin';
import { systemClock, type Clock } from '../../clock';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../state/database';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from '../endpoint';
import { traceRootOf } from '../../lambda/trace-id';
import { serveJson, targets, type JsonApi } from '../json-protocol';
import { Archives } from './archives';
import { connectionOperations } from './connections';
import { deadLetterAttributes } from './dead-letter';
import { compileEventPattern } from './event-pattern';
import { busNotFound } from './errors';
import { EventsStore } from './events-store';
import { managementOperations } from './management';
import { permissionOperations } from './permissions';
import { buildEvent, entriesOf, entryBus, entryError, type EntryResult } from './put-events';
import { ResourcesStore } from './resources-store';
import { deliverToTarget, type RoutedEvent, type TargetDeliverers } from './target-delivery';
import { targetKindOf, unsupportedTarget } from './target-kinds';
import type { Delivery, EventBridgeEvent, RuleSpec, TargetPort } from './types';
import { readInput, ruleArn, type Input, type Place } from './wire';

export interface EventsServiceOptions {
  db: Db;
  region: string;
  accountId: string;
  /** The service's own rules (`rulesFromModel`), put in place of the previous start's. */
  rules: RuleSpec[];
  /** Custom buses the service defines (`busesFromModel`); the default bus always exists. */
  buses?: string[];
  /** Hands a matching rule's Lambda target its payload; awaited before PutEvents answers. */
  deliver: (delivery: Delivery) => void | Promise<void>;
  /** Reaches queue, topic and stream targets (and dead-letter queues); awaited before PutEvents answers. */
  targets: TargetPort;
  /** Time (default: the system clock). */
  clock?: Clock;
  newId?: () => string;
  /** A delivery that failed with no dead-letter queue to take it (or whose DLQ failed); by default stderr. */
  onDeliveryError?: (error: unknown, delivery: FailedDelivery) => void;
  /** Start-time notices (targets of the configuration that are not emulated); by default stderr. */
  log?: (line: string) => void;
}

export interface FailedDelivery {
  targetArn: string;
  origin: SourceOrigin;
}

interface Route {
  rule: RuleSpec;
  arn: string;
  matches?: (event: unknown) => boolean;
}

/** A trace header as EventBridge passes it on: an invalid one is dropped (the event is still delivered). */
const traceOf = (header: unknown) =>
  typeof header === 'string' && traceRootOf(header) !== undefined ? header : undefined;

/** A target's delivery; `forwarded` when the event came to its bus from another bus. */
interface Pending extends RoutedEvent {
  forwarded: boolean;
}

const TARGET_PREFIX = 'AWSEvents.';

/**
 * The embedded EventBridge (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`): buses, rules and
 * targets kept in the state database, and PutEvents, which matches each event against the enabled
 * rules of its bus and delivers it to every target: Lambda targets through `deliver`, queues, topics
 * and streams through the `targets` port, other buses by routing it again here. A delivery that fails
 * goes to the target's dead-letter queue. It knows nothing of the services behind those ports.
 */
export class EventsService implements AwsService {
  private readonly store: EventsStore;
  private readonly resources: ResourcesStore;
  private readonly archives: Archives;
  private readonly place: Place;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly routes = new Map<string, Route[]>();
  private readonly api: JsonApi<Input>;

  constructor(private readonly options: EventsServiceOptions) {
    this.store = new EventsStore(options.db);
    this.place = { region: options.region, accountId: options.accountId };
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
    this.store.replaceModel(this.servedRules(options.rules), options.buses ?? [], this.clock.now());
    this.resources = new ResourcesStore(options.db);
    const log = options.log ?? ((line: string) => console.error(line));
    this.archives = new Archives({
      ...this.place,
      store: this.store,
      resources: this.resources,
      clock: this.clock,
      redeliver: (bus, event, ruleArns) => this.redeliver(bus, event, ruleArns),
      log,
    });
    this.api = {
      target: TARGET_PREFIX,
      version: '1.1',
      operations: {
        ...managementOperations({
          ...this.place,
          store: this.store,
          resources: this.resources,
          clock: this.clock,
          changed: (bus) => this.routes.delete(bus),
        }),
        ...permissionOperations({ ...this.place, store: this.store, resources: this.resources }),
        ...this.archives.operations(),
        ...connectionOperations({
          ...this.place,
          resources: this.resources,
          clock: this.clock,
          newId: options.newId,
        }),
        PutEvents: (input, request) => this.putEvents(input, requestTraceHeader(request)),
      },
      readInput,
    };
  }

  handles(request: AwsRequest): boolean {
    return targets(request, TARGET_PREFIX);
  }

  handle(request: AwsRequest): Promise<AwsResponse> {
    return serveJson(this.api, request);
  }

  /**
   * PutEvents: each valid entry becomes an event on its bus and goes to the targets of the rules it
   * matches; the answer has one result per entry, in order. Also for callers inside the emulator (an
   * EventBridge destination), with the API's input and output shapes. An entry's trace is its
   * `TraceHeader`, else the request's `X-Amzn-Trace-Id`; one that is not a trace header is dropped.
   */
  async putEvents(
    input: Input,
    requestTrace?: string,
  ): Promise<{ FailedEntryCount: number; Entries: EntryResult[] }> {
    const results: EntryResult[] = [];
    const deliveries: Pending[] = [];
    for (const entry of entriesOf(input)) {
      const refused = entryError(entry);
      const bus = entryBus(entry);
      if (refused) {
        results.push(refused);
      } else if (!this.store.getBus(bus)) {
        results.push({
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Event bus ${bus} does not exist.`,
        });
      } else {
        const event = buildEvent(entry, this.place, this.newId(), new Date(this.clock.now()));
        const traceHeader = traceOf(entry.TraceHeader) ?? traceOf(requestTrace);
        deliveries.push(...this.route(bus, event, false).map((d) => ({ ...d, traceHeader })));
        results.push({ EventId: event.id });
      }
    }
    for (const delivery of deliveries) await this.deliver(delivery);
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** The configuration's rules with only the targets the emulator serves; the others are named in the log. */
  private servedRules(rules: RuleSpec[]): RuleSpec[] {
    const log = this.options.log ?? ((line: string) => console.error(line));
    return rules.map((rule) => {
      const served = rule.targets.filter((target) => targetKindOf(target.arn) !== undefined);
      for (const target of rule.targets.filter((t) => !served.includes(t))) {
        log(
          `EventBridge rule ${rule.name}, target ${target.id}: ${unsupportedTarget(target.arn)}; it gets no events`,
        );
      }
      return { ...rule, targets: served };
    });
  }

  /** The deliveries an event makes: one per target of each enabled rule it matches. */
  private route(bus: string, event: EventBridgeEvent, forwarded: boolean, ruleArns?: string[]): Pending[] {
    const ingestionTime = new Date(this.clock.now()).toISOString();
    const deliveries: Pending[] = [];
    this.archives.archive(bus, event);
    for (const { rule, arn, matches } of this.routesOf(bus)) {
      if (rule.state === 'DISABLED' || !matches?.(event)) continue;
      if (ruleArns !== undefined && !ruleArns.includes(arn)) continue;
      for (const target of rule.targets) {
        const kind = targetKindOf(target.arn);
        if (kind === undefined) continue;
        deliveries.push({
          target,
          kind,
          origin: {
            kind: rule.origin === 'cloudwatchEvent' ? 'cloudwatchEvent' : 'eventBridge',
            detail: `${bus} ${rule.name}`,
          },
          context: { event, ruleName: rule.name, ruleArn: arn, ingestionTime },
          forwarded,
        });
      }
    }
    return deliveries;
  }

  /** A replayed event to the targets of its bus's matching rules (of those named, when given). */
  private async redeliver(bus: string, event: EventBridgeEvent, ruleArns?: string[]): Promise<void> {
    if (!this.store.getBus(bus)) throw busNotFound(bus);
    for (const delivery of this.route(bus, event, false, ruleArns)) await this.deliver(delivery);
  }

  /** Delivers to one target; a failure (of the transformation or of the target) goes to its DLQ. */
  private async deliver(pending: Pending): Promise<void> {
    const deliverers: TargetDeliverers = {
      port: this.options.targets,
      lambda: this.options.deliver,
      bus: (name, event) => this.forward(name, event, pending.forwarded),
    };
    try {
      await deliverToTarget(deliverers, pending);
    } catch (error) {
      await this.deadLetter(pending, error);
    }
  }

  /**
   * Bus-to-bus routing: the event is matched against the rules of the target bus. An event is
   * forwarded once, so that buses that target each other do not pass it around forever.
   */
  private async forward(bus: string, event: EventBridgeEvent, forwarded: boolean): Promise<void> {
    if (!this.store.getBus(bus)) throw busNotFound(bus);
    if (forwarded) {
      throw new Error(`Event ${event.id} already came from another bus; it is forwarded between buses once.`);
    }
    for (const delivery of this.route(bus, event, true)) await this.deliver(delivery);
  }

  /** The event, with AWS's attributes, to the target's dead-letter queue; or the failure reported. */
  private async deadLetter({ target, context, origin }: Pending, error: unknown): Promise<void> {
    const report = this.options.onDeliveryError ?? defaultReport;
    if (target.deadLetterArn === undefined) return report(error, { targetArn: target.arn, origin });
    try {
      await this.options.targets.sendMessage(target.deadLetterArn, JSON.stringify(context.event), {
        attributes: deadLetterAttributes(error, context.ruleArn, target.arn),
      });
    } catch (dlqError) {
      report(dlqError, { targetArn: target.deadLetterArn, origin });
    }
  }

  private routesOf(bus: string): Route[] {
    let routes = this.routes.get(bus);
    if (!routes) {
      routes = this.store.listRules(bus).map((rule) => ({
        rule,
        arn: ruleArn(this.place, bus, rule.name),
        matches: rule.eventPattern === undefined ? undefined : compileEventPattern(rule.eventPattern),
      }));
      this.routes.set(bus, routes);
    }
    return routes;
  }
}

function defaultReport(error: unknown, delivery: FailedDelivery): void {
  console.error(
    `EventBridge could not deliver to ${delivery.targetArn} (${originText(delivery.origin)}): ${String(error)}`,
  );
}
