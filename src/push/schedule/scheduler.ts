import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lambda/clock';
import type { Invoker } from '../../lambda/types';
import type { FunctionModel, ScheduleEvent, ServiceModel } from '../../service/model';
import { parseScheduleExpression } from '../../service/schedule-expression';
import { compileSchedule } from './next-fire';

interface ScheduledRule {
  functionKey: string;
  ruleName: string;
  expression: string;
  next: (after: Date) => Date | undefined;
  event: ScheduleEvent;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); a later fire is reached in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The schedules of the service's `schedule` events, each a rule (or Scheduler schedule) per expression. */
export function scheduledRules(functions: FunctionModel[]): ScheduledRule[] {
  return functions.flatMap((fn) =>
    fn.events
      .filter((e): e is ScheduleEvent => e.type === 'schedule' && e.enabled)
      .flatMap((event) =>
        event.expressions.map((expression, i) => {
          const parsed = parseScheduleExpression(expression, event.method);
          if ('error' in parsed) throw new Error(parsed.error); // validated when the model was read
          return {
            functionKey: fn.key,
            ruleName: `${fn.name}-schedule-${event.index + 1}${event.expressions.length > 1 ? `-${i + 1}` : ''}`,
            expression,
            next: compileSchedule(parsed, event.timezone),
            event,
          };
        }),
      ),
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
    this.invoker
      .invoke(rule.functionKey, {
        payload: JSON.stringify(this.payload(rule, at)),
        type: 'Event',
        source: `schedule ${rule.expression}`,
      })
      .catch((error: Error) => this.log(rule.functionKey, `schedule ${rule.expression}: ${error.message}`));
  }

  private payload(rule: ScheduledRule, at: Date): unknown {
    const { input } = rule.event;
    if (input !== undefined) return typeof input === 'string' ? parseOrKeep(input) : input;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.service.accountId,
      time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.service.region,
      resources: [`arn:aws:events:${this.service.region}:${this.service.accountId}:rule/${rule.ruleName}`],
      detail: {},
    };
  }
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
