import { parseArn, resourceNameOf } from '../arn';
import { describe, evaluate } from '../intrinsics';
import type { CloudwatchLogEvent, IotEvent, RuleEvent, ScheduleEvent } from '../model';
import type { ConfigReader } from '../reader';
import { resolveReference } from '../references';
import { parseScheduleExpression } from '../schedule-expression';
import type { EventParser } from './context';

function checkExpression(
  r: ConfigReader,
  key: string | undefined,
  expression: string,
  method: ScheduleEvent['method'],
) {
  const parsed = parseScheduleExpression(expression, method);
  if ('error' in parsed) r.fail(key, `"${expression}" is not a valid schedule expression: ${parsed.error}`);
}

export const parseSchedule: EventParser<ScheduleEvent> = (r, { index }) => {
  if (typeof r.value === 'string') {
    checkExpression(r, undefined, r.value, 'eventBus');
    return { type: 'schedule', index, expressions: [r.value], method: 'eventBus', enabled: true };
  }
  const method = r.oneOf('method', ['eventBus', 'scheduler'] as const) ?? 'eventBus';
  const expressions = r.strings('rate');
  if (expressions.length === 0) r.fail('rate', 'is required (e.g. rate(5 minutes) or cron(0 12 * * ? *))');
  expressions.forEach((expression, i) =>
    checkExpression(r, Array.isArray(r.raw('rate')) ? `rate.${i}` : 'rate', expression, method),
  );
  return {
    type: 'schedule',
    index,
    expressions,
    method,
    input: r.raw('input'),
    inputPath: r.string('inputPath'),
    inputTransformer: r.raw('inputTransformer'),
    timezone: r.string('timezone'),
    enabled: r.boolean('enabled', true),
  };
};

export const parseCloudwatchEvent: EventParser<RuleEvent> = (r, { index }) => ({
  type: 'cloudwatchEvent',
  index,
  eventBus: 'default',
  pattern: r.raw('event'),
  input: r.raw('input'),
  inputPath: r.string('inputPath'),
  inputTransformer: r.raw('inputTransformer'),
  enabled: r.boolean('enabled', true),
});

export const parseEventBridge: EventParser<RuleEvent> = (r, { index, catalog }) => {
  const schedule = r.string('schedule');
  if (schedule !== undefined) checkExpression(r, 'schedule', schedule, 'eventBus');
  if (!r.has('pattern') && schedule === undefined) r.fail('pattern', 'or schedule is required');
  const retry = r.child('retryPolicy');
  const deadLetter = r.raw('deadLetterQueueArn');
  return {
    type: 'eventBridge',
    index,
    eventBus: busName(r.raw('eventBus'), (v) => evaluate(v, catalog.resources.scope)),
    pattern: r.raw('pattern'),
    schedule,
    input: r.raw('input'),
    inputPath: r.string('inputPath'),
    inputTransformer: r.raw('inputTransformer'),
    deadLetterQueue: deadLetter === undefined ? undefined : resolveReference(deadLetter, catalog, 'sqs'),
    retryPolicy: retry.isObject
      ? {
          maximumEventAge: retry.number('maximumEventAge', { min: 60, max: 86400 }),
          maximumRetryAttempts: retry.number('maximumRetryAttempts', { min: 0, max: 185 }),
        }
      : undefined,
    enabled: r.boolean('enabled', true),
  };
};

/** A bus given as a name, an ARN or an intrinsic, as its name. */
export function busName(value: unknown, evaluateValue: (v: unknown) => string | undefined): string {
  if (value === undefined || value === null) return 'default';
  const text = evaluateValue(value) ?? describe(value);
  const arn = parseArn(text);
  return arn ? resourceNameOf(arn) : text;
}

export const parseCloudwatchLog: EventParser<CloudwatchLogEvent> = (r, { index }) => ({
  type: 'cloudwatchLog',
  index,
  logGroup: typeof r.value === 'string' ? r.value : r.requiredString('logGroup', 'the log group name'),
  filter: r.string('filter') ?? '',
});

export const parseIot: EventParser<IotEvent> = (r, { index }) => ({
  type: 'iot',
  index,
  sql: r.requiredString('sql', "the rule's SQL, e.g. SELECT * FROM 'topic'"),
  enabled: r.boolean('enabled', true),
});
