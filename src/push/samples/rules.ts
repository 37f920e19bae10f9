import type { EventBridgeEvent as LambdaEventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { rulesFromModel } from '../../aws/events/model-rules';
import { isoSeconds } from '../../clock';
import { targetPayload } from '../../aws/events/target-input';
import type { EventBridgeEvent, InputTransformer, TargetSpec } from '../../aws/events/types';
import { ruleArn } from '../../aws/events/wire';
import { functionArn } from '../../service/arn';
import type { RuleEvent, ScheduleEvent } from '../../service/model';
import { isObject, type SampleContext } from './context';
import { sampleOfPattern } from './pattern-sample';

/** A rule as its target sees it: its name and ARN, and what the target is given (input settings). */
interface RuleTarget {
  name: string;
  arn: string;
  target: TargetSpec;
}

/**
 * What a `schedule` event's function receives when the schedule fires
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html): the
 * Scheduled Event (`aws.events`, the rule's ARN in `resources`, an empty `detail`, the time to the
 * second), transformed by the event's `input`, `inputPath` or `inputTransformer` exactly as a rule's
 * target is (aws/events/target-input). `overrides` replaces `detail`. The rule is named as the
 * emulator's scheduler names it (`<function name>-schedule-<n>`, `-1` for the first of several
 * expressions). `method: scheduler` gets the same event, as the emulator's scheduler sends it (AWS
 * documents only that EventBridge Scheduler "delivers a default notification" when there is no input,
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html).
 */
export function scheduleEvent(spec: ScheduleEvent, context: SampleContext): unknown {
  const name = `${context.fn.name}-schedule-${spec.index + 1}${spec.expressions.length > 1 ? '-1' : ''}`;
  return scheduledPayload(context, {
    name,
    arn: ruleArn(context.service, 'default', name),
    target: targetOf(context, spec),
  });
}

/**
 * What an `eventBridge` or `cloudwatchEvent` rule's target receives: for a pattern rule, an event
 * of the rule's bus the pattern matches (its first literal values, see `sampleOfPattern`; the
 * envelope's other fields as PutEvents makes them; `overrides` replaces `detail`); for an
 * `eventBridge` schedule, the Scheduled Event. Then the rule's input transformation. The rule's name
 * and target are those the embedded EventBridge registers (aws/events/model-rules).
 */
export function ruleEvent(spec: RuleEvent, context: SampleContext): unknown {
  const rule = ruleTargetOf(spec, context);
  if (spec.pattern === undefined) return scheduledPayload(context, rule);
  return targetPayload(rule.target, {
    event: matchingEvent(spec.pattern, context),
    ruleName: rule.name,
    ruleArn: rule.arn,
    ingestionTime: context.now.toISOString(),
  });
}

/** An EventBridge event the pattern matches, before any input transformation. */
export function matchingEvent(pattern: unknown, { service, now, newId, overrides }: SampleContext) {
  const sample = sampleOfPattern(pattern);
  const { detail, resources, ...envelope } = sample;
  const event: LambdaEventBridgeEvent<string, Record<string, unknown>> = {
    version: '0',
    id: newId(),
    'detail-type': 'Sample Event',
    source: 'com.example.sample',
    account: service.accountId,
    time: isoSeconds(now),
    region: service.region,
    resources: resources === undefined ? [] : [resources].flat().map(String),
    ...(envelope as Partial<LambdaEventBridgeEvent<string, Record<string, unknown>>>),
    detail: overrides !== undefined ? (overrides as Record<string, unknown>) : isObject(detail) ? detail : {},
  };
  return event as EventBridgeEvent;
}

function scheduledPayload({ service, now, newId, overrides }: SampleContext, rule: RuleTarget): unknown {
  const event: ScheduledEvent = {
    version: '0',
    id: newId(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: service.accountId,
    time: isoSeconds(now),
    region: service.region,
    resources: [rule.arn],
    detail: overrides ?? {},
  };
  return targetPayload(rule.target, {
    event: event as EventBridgeEvent,
    ruleName: rule.name,
    ruleArn: rule.arn,
    ingestionTime: now.toISOString(),
  });
}

/**
 * The rule the embedded EventBridge makes of this event: rulesFromModel over the function's events up
 * to this one, so that the name counts the events before it as the framework does. An event that makes
 * no rule there (an `eventBridge` schedule) is named as the framework names it (`<function>-rule-<n>`).
 */
function ruleTargetOf(spec: RuleEvent, context: SampleContext): RuleTarget {
  const { service, fn } = context;
  const position = fn.events.findIndex((e) => e.index === spec.index);
  const upTo = (end: number) =>
    rulesFromModel({ ...service, functions: [{ ...fn, events: fn.events.slice(0, end) }] });
  if (position >= 0) {
    const before = upTo(position);
    const through = upTo(position + 1);
    const rule = through.length > before.length ? through[through.length - 1] : undefined;
    if (rule) {
      return { name: rule.name, arn: ruleArn(service, rule.eventBus, rule.name), target: rule.targets[0] };
    }
  }
  const name = `${fn.name}-rule-${spec.index + 1}`;
  return { name, arn: ruleArn(service, spec.eventBus, name), target: targetOf(context, spec) };
}

/** The target's input settings as PutTargets carries them (`Input` as JSON text). */
function targetOf({ service, fn }: SampleContext, spec: ScheduleEvent | RuleEvent): TargetSpec {
  return {
    id: `${fn.key}Target`,
    arn: functionArn(service, fn),
    input:
      spec.input === undefined || typeof spec.input === 'string' ? spec.input : JSON.stringify(spec.input),
    inputPath: spec.inputPath,
    inputTransformer: spec.inputTransformer as InputTransformer | undefined,
  };
}
