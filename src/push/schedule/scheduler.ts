import { buildArn } from '../../service/arn';
import { randomUUID } from 'node:crypto';
import {
  originText,
  sourceInvocation,
  sourceInvocationOfType,
  type SourceInvocation,
} from '../../classify/origin';
import type { Clock } from '../../clock';
import type { Invoker } from '../../lambda/types';
import type { FunctionModel, ScheduleEvent, ServiceModel } from '../../service/model';
import { parseScheduleExpression } from '../../service/schedule-expression';
import { targetPayload } from '../../aws/events/target-input';
import type { EventBridgeEvent, InputTransformer, RuleSpec, TargetSpec } from '../../aws/events/types';
import { compileSchedule } from './next-fire';

export interface ScheduledRule {
  /** The function to invoke: its key or its ARN. */
  target: string;
  ruleName: string;
  expression: string;
  next: (after: Date) => Date | undefined;
  /** What the target receives: the Scheduled Event, or its input (transformation). */
  input: Omit<TargetSpec, 'id' | 'arn'>;
  invocation: SourceInvocation;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); a later fire is reached in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

function compile(expression: string, method: ScheduleEvent['method'], timezone?: string) {
  const parsed = parseScheduleExpression(expression, method);
  if ('error' in parsed) throw new Error(parsed.error); // validated when the model was read
  return compileSchedule(parsed, timezone);
}

/** The schedules of the service's `schedule` events, each a rule (or Scheduler schedule) per expression. */
export function scheduledRules(functions: FunctionModel[]): ScheduledRule[] {
  return functions.flatMap((fn) =>
    fn.events
      .filter((e): e is ScheduleEvent => e.type === 'schedule' && e.enabled)
      .flatMap((event) =>
        event.expressions.map((expression, i) => ({
          target: fn.key,
          ruleName: `${fn.name}-schedule-${event.index + 1}${event.expressions.length > 1 ? `-${i + 1}` : ''}`,
          expression,
          next: compile(expression, event.method, event.timezone),
          input: {
            input:
              event.input === undefined || typeof event.input === 'string'
                ? event.input
                : JSON.stringify(event.input),
            inputPath: event.inputPath,
            inputTransformer: event.inputTransformer as InputTransformer | undefined,
          },
          invocation: sourceInvocation(event, expression),
        })),
      ),
  );
}

/** The EventBridge rules of `eventBridge` events that run on a schedule rather than a pattern. */
export function eventBridgeScheduledRules(rules: RuleSpec[]): ScheduledRule[] {
  return rules
    .filter((rule) => rule.scheduleExpression !== undefined && rule.state === 'ENABLED')
    .flatMap((rule) =>
      rule.targets.map((target) => ({
        target: target.arn,
        ruleName: rule.name,
        expression: rule.scheduleExpression as string,
        next: compile(rule.scheduleExpression as string, 'eventBus'),
        input: target,
        invocation: sourceInvocationOfType('schedule', rule.scheduleExpression),
      })),
    );
}

/**
 * EventBridge's scheduled rules and EventBridge Scheduler, locally: at each fire time the function is
 * invoked asynchronously with the Scheduled Event (or the configured input).
 */
export class Scheduler {
  private readonly timers = new Map<ScheduledRule, unknown>();

  constructor(
    private readonly rules: ScheduledRule[],
    private readonly invoker: Invoker,
    private readonly clock: Clock,
    private readonly service: Pick<ServiceModel, 'region' | 'accountId'>,
    private readonly log: (functionKey: string, line: string) => void,
  ) {}

  start(): void {
    for (const rule of this.rules) this.arm(rule, new Date(this.clock.now()));
  }

  stop(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private arm(rule: ScheduledRule, after: Date): void {
    const at = rule.next(after);
    if (!at) return;
    const wait = () => {
      const delay = at.getTime() - this.clock.now();
      if (delay > MAX_TIMER_MS) {
        this.timers.set(rule, this.clock.setTimeout(wait, MAX_TIMER_MS));
        return;
      }
      this.timers.set(
        rule,
        this.clock.setTimeout(() => this.fire(rule, at), Math.max(0, delay)),
      );
    };
    wait();
  }

  private fire(rule: ScheduledRule, at: Date): void {
    this.arm(rule, at);
    this.invoke(rule, at);
  }

  private invoke(rule: ScheduledRule, at: Date): void {
    this.invoker
      .invoke(rule.target, {
        payload: JSON.stringify(this.payload(rule, at)),
        ...rule.invocation,
      })
      .catch((error: Error) =>
        this.log(rule.target, `${originText(rule.invocation.origin)}: ${error.message}`),
      );
  }

  private payload(rule: ScheduledRule, at: Date): unknown {
    const ruleArn = buildArn('events', this.service.region, this.service.accountId, `rule/${rule.ruleName}`);
    const event: EventBridgeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.service.accountId,
      time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.service.region,
      resources: [ruleArn],
      detail: {},
    };
    return targetPayload(
      { id: rule.ruleName, arn: rule.target, ...rule.input },
      { event, ruleName: rule.ruleName, ruleArn, ingestionTime: at.toISOString() },
    );
  }
}
