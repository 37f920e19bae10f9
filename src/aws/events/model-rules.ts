import { createHash } from 'node:crypto';
import { ConfigError } from '../../errors';
import { PatternError } from '../../filter/event-pattern';
import { compileEventPattern } from './event-pattern';
import { functionArn } from '../../service/arn';
import type { EventRuleResource } from '../../service/event-rule-resources';
import type { FunctionModel, RuleEvent, ServiceModel } from '../../service/model';
import { parseJsonPath } from './json-path';
import type { InputTransformer, RuleSpec, TargetSpec } from './types';

/**
 * The EventBridge rules the service's `eventBridge` and `cloudwatchEvent` events create, each with
 * its function as the one target, named as Serverless v3 names them:
 * - `eventBridge`: `<deployed function name>-rule-<position of the event in the function's events,
 *   from 1>`, target id `<rule name>-target`, both md5-shortened past 64 characters
 *   (lib/plugins/aws/package/compile/events/event-bridge/utils.js);
 * - `cloudwatchEvent`: CloudFormation names the rule `<stack>-<logical id>-<random suffix>`; here it
 *   is `<service>-<stage>-<Function>EventsRuleCloudWatchEvent<n>` without the suffix (so it is stable),
 *   shortened the same way; target id `<function key>CloudWatchEvent` (lib/plugins/aws/lib/naming.js).
 * An `eventBridge` event with only a `schedule` makes no rule here: schedules are fired elsewhere.
 * Then the `AWS::Events::Rule` resources that have an `EventPattern`, with their targets as given.
 * Throws a ConfigError naming the event or resource when a pattern or an input transformer is not valid.
 */
export function rulesFromModel(model: ServiceModel): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (const fn of model.functions) {
    let cloudwatchCount = 0;
    for (const event of fn.events) {
      if (event.type !== 'eventBridge' && event.type !== 'cloudwatchEvent') continue;
      if (event.type === 'cloudwatchEvent') cloudwatchCount++;
      if (event.pattern === undefined) continue;
      const at = `functions.${fn.key}.events.${event.index}.${event.type}`;
      const name =
        event.type === 'eventBridge'
          ? shorten(`${fn.name}-rule-${event.index + 1}`, `rule-${event.index + 1}`)
          : shorten(
              `${model.service}-${model.stage}-${cloudwatchLogicalId(fn.key, cloudwatchCount)}`,
              'rule',
            );
      rules.push({
        name,
        eventBus: event.eventBus,
        eventPattern: patternText(
          event.pattern,
          `${at}.${event.type === 'eventBridge' ? 'pattern' : 'event'}`,
        ),
        scheduleExpression: event.schedule,
        state: event.enabled ? 'ENABLED' : 'DISABLED',
        origin: event.type,
        targets: [target(model, fn, event, name, at)],
      });
    }
  }
  for (const resource of model.resources.eventRules) {
    if (resource.eventPattern !== undefined) rules.push(resourceRule(resource));
  }
  return rules;
}

function resourceRule(resource: EventRuleResource): RuleSpec {
  const at = `resources.Resources.${resource.logicalId}.Properties`;
  return {
    name: resource.name,
    eventBus: resource.eventBus,
    eventPattern: patternText(resource.eventPattern, `${at}.EventPattern`),
    state: resource.enabled ? 'ENABLED' : 'DISABLED',
    origin: 'resource',
    targets: resource.targets.map((target, i) => ({
      ...target,
      inputPath:
        target.inputPath === undefined
          ? undefined
          : jsonPath(target.inputPath, `${at}.Targets.${i}.InputPath`),
      inputTransformer:
        target.inputTransformer === undefined
          ? undefined
          : inputTransformer(target.inputTransformer, `${at}.Targets.${i}.InputTransformer`),
    })),
  };
}

/** The custom buses the service defines: `AWS::Events::EventBus` resources and the buses its rules name. */
export function busesFromModel(model: ServiceModel): string[] {
  const names = [...model.resources.eventBuses.values()].map((bus) => bus.name);
  for (const rule of rulesFromModel(model)) names.push(rule.eventBus);
  return [...new Set(names)].filter((name) => name !== 'default');
}

function target(
  model: ServiceModel,
  fn: FunctionModel,
  event: RuleEvent,
  rule: string,
  at: string,
): TargetSpec {
  return {
    id: event.type === 'eventBridge' ? shorten(`${rule}-target`, 'target') : `${fn.key}CloudWatchEvent`,
    arn: functionArn(model, fn),
    input:
      event.input === undefined || typeof event.input === 'string'
        ? event.input
        : JSON.stringify(event.input),
    inputPath: event.inputPath === undefined ? undefined : jsonPath(event.inputPath, `${at}.inputPath`),
    inputTransformer:
      event.inputTransformer === undefined
        ? undefined
        : inputTransformer(event.inputTransformer, `${at}.inputTransformer`),
  };
}

function patternText(pattern: unknown, at: string): string {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    throw new ConfigError(
      `${at} is not a valid event pattern: ${error.message}`,
      'EMULATE_INVALID_EVENT_PATTERN',
    );
  }
  return typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
}

function inputTransformer(raw: unknown, at: string): InputTransformer {
  const value = (raw ?? {}) as { inputTemplate?: unknown; inputPathsMap?: unknown };
  if (typeof value.inputTemplate !== 'string') {
    throw new ConfigError(`${at}.inputTemplate is required (a string)`, 'EMULATE_INVALID_INPUT_TRANSFORMER');
  }
  const paths = value.inputPathsMap;
  if (paths !== undefined && (paths === null || typeof paths !== 'object' || Array.isArray(paths))) {
    throw new ConfigError(`${at}.inputPathsMap must be an object`, 'EMULATE_INVALID_INPUT_TRANSFORMER');
  }
  for (const [name, path] of Object.entries(paths ?? {})) jsonPath(path, `${at}.inputPathsMap.${name}`);
  return { inputTemplate: value.inputTemplate, inputPathsMap: paths as Record<string, string> | undefined };
}

function jsonPath(path: unknown, at: string): string {
  try {
    if (typeof path !== 'string') throw new Error('a JSONPath string is required');
    parseJsonPath(path);
    return path;
  } catch (error) {
    throw new ConfigError(`${at}: ${(error as Error).message}`, 'EMULATE_INVALID_INPUT_PATH');
  }
}

/** naming.js getCloudWatchEventLogicalId: `-` and `_` spelled out, first letter upper-cased. */
function cloudwatchLogicalId(functionKey: string, n: number): string {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}EventsRuleCloudWatchEvent${n}`;
}

/** event-bridge/utils.js hashName: names over 64 characters keep a prefix, the md5 and a suffix. */
function shorten(name: string, suffix: string): string {
  if (name.length <= 64) return name;
  const md5 = createHash('md5').update(name).digest('hex');
  return `${name.slice(0, 31 - suffix.length)}${md5}-${suffix}`;
}
