import { originText } from '../../classify/origin';
import { systemClock, type Clock } from '../../clock';
import { randomUUID } from 'node:crypto';
import { compilePattern } from '../../filter/event-pattern';
import type { Db } from '../../state/database';
import type { AwsRequest, AwsResponse, AwsService } from '../endpoint';
import { serveJson, targets, type JsonApi } from '../json-protocol';
import { EventsStore } from './events-store';
import { managementOperations } from './management';
import { buildEvent, entriesOf, entryBus, entryError, type EntryResult } from './put-events';
import { targetPayload } from './target-input';
import type { Delivery, EventBridgeEvent, RuleSpec } from './types';
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
  /** Time (default: the system clock). */
  clock?: Clock;
  newId?: () => string;
  /** A delivery that threw; by default written to stderr. */
  onDeliveryError?: (error: unknown, delivery: Omit<Delivery, 'payload'>) => void;
}

interface Route {
  rule: RuleSpec;
  arn: string;
  matches?: (event: unknown) => boolean;
}

/** A delivery whose payload is computed when it is made. */
interface Pending extends Omit<Delivery, 'payload'> {
  payload: () => unknown;
}

const TARGET_PREFIX = 'AWSEvents.';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;

/**
 * The embedded EventBridge (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`): buses, rules and
 * targets kept in the state database, and PutEvents, which matches each event against the enabled
 * rules of its bus and hands every Lambda target its payload through `deliver`. It knows nothing of
 * Lambda beyond that callback; targets of other kinds are kept but not delivered to.
 */
export class EventsService implements AwsService {
  private readonly store: EventsStore;
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
    this.store.replaceModel(options.rules, options.buses ?? [], this.clock.now());
    this.api = {
      target: TARGET_PREFIX,
      version: '1.1',
      operations: {
        ...managementOperations({
          ...this.place,
          store: this.store,
          clock: this.clock,
          changed: (bus) => this.routes.delete(bus),
        }),
        PutEvents: (input) => this.putEvents(input),
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
   * EventBridge destination), with the API's input and output shapes.
   */
  async putEvents(input: Input): Promise<{ FailedEntryCount: number; Entries: EntryResult[] }> {
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
        const received = new Date(this.clock.now());
        const event = buildEvent(entry, this.place, this.newId(), received);
        deliveries.push(...this.route(bus, event, received.toISOString()));
        results.push({ EventId: event.id });
      }
    }
    for (const delivery of deliveries) await this.deliver(delivery);
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** The deliveries an event makes: one per Lambda target of each enabled rule it matches. */
  private route(bus: string, event: EventBridgeEvent, ingestionTime: string): Pending[] {
    const deliveries: Pending[] = [];
    for (const { rule, arn, matches } of this.routesOf(bus)) {
      if (rule.state === 'DISABLED' || !matches?.(event)) continue;
      for (const target of rule.targets) {
        if (!LAMBDA_ARN.test(target.arn)) continue;
        const kind = rule.origin === 'cloudwatchEvent' ? 'cloudwatchEvent' : 'eventBridge';
        deliveries.push({
          functionArn: target.arn,
          origin: { kind, detail: `${bus} ${rule.name}` },
          payload: () => targetPayload(target, { event, ruleName: rule.name, ruleArn: arn, ingestionTime }),
        });
      }
    }
    return deliveries;
  }

  /** Delivers one target's payload; a failure (of the transformation or of `deliver`) is reported. */
  private async deliver({ functionArn, origin, payload }: Pending): Promise<void> {
    try {
      await this.options.deliver({ functionArn, origin, payload: payload() });
    } catch (error) {
      (this.options.onDeliveryError ?? defaultReport)(error, { functionArn, origin });
    }
  }

  private routesOf(bus: string): Route[] {
    let routes = this.routes.get(bus);
    if (!routes) {
      routes = this.store.listRules(bus).map((rule) => ({
        rule,
        arn: ruleArn(this.place, bus, rule.name),
        matches: rule.eventPattern === undefined ? undefined : compilePattern(rule.eventPattern),
      }));
      this.routes.set(bus, routes);
    }
    return routes;
  }
}

function defaultReport(error: unknown, delivery: Omit<Delivery, 'payload'>): void {
  console.error(
    `EventBridge could not deliver to ${delivery.functionArn} (${originText(delivery.origin)}): ${String(error)}`,
  );
}
