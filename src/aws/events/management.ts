import type { Clock } from '../../clock';
import { compileEventPattern } from './event-pattern';
import { busNotFound, EventsError, ruleNotFound, validation } from './errors';
import type { EventsStore } from './events-store';
import { tagsOf } from './permissions';
import type { ResourcesStore } from './resources-store';
import { parseJsonPath } from './json-path';
import { PREDEFINED_VARIABLES } from './target-input';
import { targetKindOf, unsupportedTarget } from './target-kinds';
import type { RuleSpec, RuleState, TargetSpec } from './types';
import {
  busArn,
  busNameOf,
  busShape,
  checkName,
  optionalString,
  page,
  requiredString,
  ruleArn,
  ruleShape,
  targetOf,
  targetShape,
  type Input,
  NAME_PATTERN,
  type Place,
} from './wire';

export interface ManagementContext extends Place {
  store: EventsStore;
  resources: ResourcesStore;
  clock: Clock;
  /** Called after a bus's rules or targets change, so the router reloads them. */
  changed: (bus: string) => void;
}

type Operation = (input: Input) => unknown;

const STATES: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
const MAX_TARGETS_PER_RULE = 5;

/** The bus, rule and target operations of the EventBridge API (PutEvents is the service's own). */
export function managementOperations(ctx: ManagementContext): Record<string, Operation> {
  const { store } = ctx;
  const requireBus = (bus: string) => {
    if (!store.getBus(bus)) throw busNotFound(bus);
    return bus;
  };
  const requireRule = (input: Input, key: string): RuleSpec => {
    const bus = requireBus(busNameOf(input.EventBusName));
    const name = requiredString(input, key, key.toLowerCase());
    const rule = store.getRule(bus, name);
    if (!rule) throw ruleNotFound(name, bus);
    return rule;
  };
  const setState = (state: RuleState) => (input: Input) => {
    const rule = requireRule(input, 'Name');
    store.setState(rule.eventBus, rule.name, state);
    ctx.changed(rule.eventBus);
    return {};
  };

  return {
    ListEventBuses: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const buses = store.listBuses().filter((bus) => bus.name.startsWith(prefix));
      const { items, nextToken } = page(buses, input);
      return {
        EventBuses: items.map((bus) => ({ ...busShape(ctx, bus), Policy: ctx.resources.policy(bus.name) })),
        NextToken: nextToken,
      };
    },
    DescribeEventBus: (input) => {
      const name = busNameOf(input.Name);
      const bus = store.getBus(name);
      if (!bus) throw busNotFound(name);
      return { ...busShape(ctx, bus), Policy: ctx.resources.policy(name) };
    },
    CreateEventBus: (input) => {
      const name = requiredString(input, 'Name', 'name');
      checkName(name, 'name', 256, '[/\\.\\-_A-Za-z0-9]+');
      if (name.includes('/') && input.EventSourceName === undefined) {
        throw validation("Event bus name must not contain '/'.");
      }
      const tags = input.Tags === undefined || input.Tags === null ? [] : tagsOf(input.Tags);
      const created = store.insertBus(name, optionalString(input, 'Description'), 'api', ctx.clock.now());
      if (!created) {
        throw new EventsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
      }
      ctx.resources.tag(busArn(ctx, name), tags);
      return { EventBusArn: busArn(ctx, name), Description: optionalString(input, 'Description') };
    },
    DeleteEventBus: (input) => {
      const name = requiredString(input, 'Name', 'name');
      if (name === 'default') throw validation('Cannot delete event bus default.');
      for (const rule of store.listRules(name)) ctx.resources.untag(ruleArn(ctx, name, rule.name));
      store.deleteBus(name);
      ctx.resources.untag(busArn(ctx, name));
      ctx.resources.setPolicy(name, undefined);
      ctx.changed(name);
      return {};
    },
    PutRule: (input) => putRule(ctx, input, requireBus),
    DescribeRule: (input) => {
      const rule = requireRule(input, 'Name');
      return { ...ruleShape(ctx, rule), CreatedBy: ctx.accountId };
    },
    ListRules: (input) => {
      const bus = requireBus(busNameOf(input.EventBusName));
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const rules = store.listRules(bus).filter((rule) => rule.name.startsWith(prefix));
      const { items, nextToken } = page(rules, input);
      return { Rules: items.map((rule) => ruleShape(ctx, rule)), NextToken: nextToken };
    },
    ListRuleNamesByTarget: (input) => {
      const bus = requireBus(busNameOf(input.EventBusName));
      const arn = requiredString(input, 'TargetArn', 'targetArn');
      const names = store
        .listRules(bus)
        .filter((rule) => rule.targets.some((target) => target.arn === arn))
        .map((rule) => rule.name);
      const { items, nextToken } = page(names, input);
      return { RuleNames: items, NextToken: nextToken };
    },
    DeleteRule: (input) => {
      const bus = requireBus(busNameOf(input.EventBusName));
      const name = requiredString(input, 'Name', 'name');
      const rule = store.getRule(bus, name);
      if (!rule) return {};
      if (rule.targets.length > 0 && input.Force !== true) {
        throw validation("Rule can't be deleted since it has targets.");
      }
      store.deleteRule(bus, name);
      ctx.resources.untag(ruleArn(ctx, bus, name));
      ctx.changed(bus);
      return {};
    },
    EnableRule: setState('ENABLED'),
    DisableRule: setState('DISABLED'),
    PutTargets: (input) => {
      const rule = requireRule(input, 'Rule');
      const raw = input.Targets;
      if (!Array.isArray(raw) || raw.length < 1 || raw.length > 10) {
        throw validation(
          "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
        );
      }
      const given = raw.map(targetOf);
      given.forEach(checkTarget);
      const targets = given.filter((target) => targetKindOf(target.arn) !== undefined);
      const failed = given
        .filter((target) => targetKindOf(target.arn) === undefined)
        .map((target) => ({
          TargetId: target.id,
          ErrorCode: 'ValidationException',
          ErrorMessage: `Target ${target.id}: ${unsupportedTarget(target.arn)}.`,
        }));
      const ids = new Set([
        ...rule.targets.map((target) => target.id),
        ...targets.map((target) => target.id),
      ]);
      if (ids.size > MAX_TARGETS_PER_RULE) {
        throw new EventsError(
          'LimitExceededException',
          'The requested resource exceeds the maximum number allowed.',
        );
      }
      store.putTargets(rule.eventBus, rule.name, targets);
      ctx.changed(rule.eventBus);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    ListTargetsByRule: (input) => {
      const rule = requireRule(input, 'Rule');
      const { items, nextToken } = page(rule.targets, input);
      return { Targets: items.map(targetShape), NextToken: nextToken };
    },
    RemoveTargets: (input) => {
      const rule = requireRule(input, 'Rule');
      const ids = input.Ids;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        throw validation(
          "1 validation error detected: Value null at 'ids' failed to satisfy constraint: Member must not be null",
        );
      }
      store.removeTargets(rule.eventBus, rule.name, ids as string[]);
      ctx.changed(rule.eventBus);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    TestEventPattern: (input) => {
      const pattern = compiled(requiredString(input, 'EventPattern', 'eventPattern'));
      let event: unknown;
      try {
        event = JSON.parse(requiredString(input, 'Event', 'event'));
      } catch {
        throw validation('Parameter Event is not valid.');
      }
      return { Result: pattern(event) };
    },
  };
}

function putRule(ctx: ManagementContext, input: Input, requireBus: (bus: string) => string) {
  const bus = requireBus(busNameOf(input.EventBusName));
  const name = requiredString(input, 'Name', 'name');
  checkName(name, 'name', 64, NAME_PATTERN);
  const eventPattern = optionalString(input, 'EventPattern');
  const scheduleExpression = optionalString(input, 'ScheduleExpression');
  if (eventPattern === undefined && scheduleExpression === undefined) {
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (eventPattern !== undefined) compiled(eventPattern);
  if (scheduleExpression !== undefined && bus !== 'default') {
    throw validation('ScheduleExpression is supported only on the default event bus.');
  }
  const state = (optionalString(input, 'State') ?? 'ENABLED') as RuleState;
  if (!STATES.includes(state)) {
    throw validation(
      `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(', ')}]`,
    );
  }
  const tags = input.Tags === undefined || input.Tags === null ? [] : tagsOf(input.Tags);
  const existing = ctx.store.getRule(bus, name);
  ctx.store.putRule(
    {
      name,
      eventBus: bus,
      eventPattern,
      scheduleExpression,
      state,
      description: optionalString(input, 'Description'),
      roleArn: optionalString(input, 'RoleArn'),
      origin: existing?.origin ?? 'api',
    },
    ctx.clock.now(),
  );
  ctx.resources.tag(ruleArn(ctx, bus, name), tags);
  ctx.changed(bus);
  return { RuleArn: ruleArn(ctx, bus, name) };
}

/** A pattern PutRule and TestEventPattern accept, or InvalidEventPatternException. */
function compiled(text: string) {
  try {
    return compileEventPattern(text);
  } catch (error) {
    throw new EventsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
}

function checkTarget(target: TargetSpec): void {
  const given = [target.input, target.inputPath, target.inputTransformer].filter((x) => x !== undefined);
  if (given.length > 1) {
    throw validation(`Target ${target.id}: only one of Input, InputPath or InputTransformer may be given.`);
  }
  if (target.input !== undefined) {
    try {
      JSON.parse(target.input);
    } catch {
      throw validation(`Target ${target.id}: Input is not valid JSON text.`);
    }
  }
  const paths = { ...target.inputTransformer?.inputPathsMap };
  if (target.inputPath !== undefined) paths.InputPath = target.inputPath;
  for (const [key, path] of Object.entries(paths)) {
    if (PREDEFINED_VARIABLES.includes(key)) {
      throw validation(`Target ${target.id}: InputPathsMap may not define the reserved variable ${key}.`);
    }
    try {
      if (typeof path !== 'string') throw new Error(`the JSONPath of ${key} must be a string`);
      parseJsonPath(path);
    } catch (error) {
      throw validation(`Target ${target.id}: ${(error as Error).message}`);
    }
  }
}
