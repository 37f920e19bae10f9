import { buildArn } from '../../service/arn';
import type { AwsRequest } from '../endpoint';
import { serialization, validation } from './errors';
import type { BusRecord, InputTransformer, RuleSpec, TargetSpec } from './types';

/** A request's JSON body. */
export type Input = Record<string, unknown>;

/** A request's body: a JSON value that is not an object reads as `{}`. */
export function readInput(request: AwsRequest): Input {
  try {
    const parsed: unknown = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
    return parsed !== null && typeof parsed === 'object' ? (parsed as Input) : {};
  } catch (error) {
    throw serialization(`Request body is not valid JSON: ${(error as Error).message}`);
  }
}

export interface Place {
  region: string;
  accountId: string;
}

export function busArn(place: Place, bus: string): string {
  return buildArn('events', place.region, place.accountId, `event-bus/${bus}`);
}

/** `rule/<name>` on the default bus, `rule/<bus>/<name>` on another. */
export function ruleArn(place: Place, bus: string, rule: string): string {
  const path = bus === 'default' ? rule : `${bus}/${rule}`;
  return buildArn('events', place.region, place.accountId, `rule/${path}`);
}

/** A bus given by name or by ARN (`arn:aws:events:...:event-bus/<name>`), default when absent. */
export function busNameOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'default';
  if (typeof value !== 'string') throw validation('EventBusName must be a string.');
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1] : value;
}

export function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${key} must be a string.`);
  return value;
}

export function requiredString(input: Input, key: string, member = key): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '') {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Checks a name against AWS's constraint (`pattern` as AWS writes it), with AWS's wording. */
export function checkName(value: string, member: string, max: number, pattern: string): void {
  if (value.length > max) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
  if (!new RegExp(`^${pattern}$`).test(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
    );
  }
}

/** The names AWS allows for rules and target ids. */
export const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';

/** Epoch seconds, as AWS JSON protocols carry timestamps. */
export const seconds = (ms: number) => ms / 1000;

export function busShape(place: Place, bus: BusRecord) {
  return {
    Name: bus.name,
    Arn: busArn(place, bus.name),
    Description: bus.description,
    CreationTime: seconds(bus.createdAt),
    LastModifiedTime: seconds(bus.createdAt),
  };
}

export function ruleShape(place: Place, rule: RuleSpec) {
  return {
    Name: rule.name,
    Arn: ruleArn(place, rule.eventBus, rule.name),
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.eventBus,
  };
}

export function targetShape(target: TargetSpec) {
  return {
    Id: target.id,
    Arn: target.arn,
    Input: target.input,
    InputPath: target.inputPath,
    InputTransformer: target.inputTransformer && {
      InputPathsMap: target.inputTransformer.inputPathsMap,
      InputTemplate: target.inputTransformer.inputTemplate,
    },
    SqsParameters:
      target.messageGroupId === undefined ? undefined : { MessageGroupId: target.messageGroupId },
    KinesisParameters:
      target.partitionKeyPath === undefined ? undefined : { PartitionKeyPath: target.partitionKeyPath },
    DeadLetterConfig: target.deadLetterArn === undefined ? undefined : { Arn: target.deadLetterArn },
  };
}

/** A PutTargets member, with the fields this emulator uses. */
export function targetOf(raw: unknown, index: number): TargetSpec {
  if (raw === null || typeof raw !== 'object') throw validation(`Target ${index + 1} must be an object.`);
  const input = raw as Input;
  const id = requiredString(input, 'Id', `targets.${index + 1}.member.id`);
  checkName(id, `targets.${index + 1}.member.id`, 64, NAME_PATTERN);
  const transformer = input.InputTransformer as Input | undefined;
  let inputTransformer: InputTransformer | undefined;
  if (transformer !== undefined && transformer !== null) {
    const paths = transformer.InputPathsMap;
    if (paths !== undefined && (paths === null || typeof paths !== 'object' || Array.isArray(paths))) {
      throw validation(`InputPathsMap of target ${id} must be a map of names to JSONPaths.`);
    }
    inputTransformer = {
      inputTemplate: requiredString(
        transformer,
        'InputTemplate',
        `targets.${index + 1}.member.inputTransformer.inputTemplate`,
      ),
      inputPathsMap: paths as Record<string, string> | undefined,
    };
  }
  return {
    id,
    arn: requiredString(input, 'Arn', `targets.${index + 1}.member.arn`),
    input: optionalString(input, 'Input'),
    inputPath: optionalString(input, 'InputPath'),
    inputTransformer,
    messageGroupId: memberString(input, 'SqsParameters', 'MessageGroupId'),
    partitionKeyPath: memberString(input, 'KinesisParameters', 'PartitionKeyPath'),
    deadLetterArn: memberString(input, 'DeadLetterConfig', 'Arn'),
  };
}

/** A string inside one of a target's parameter structures (`SqsParameters.MessageGroupId`, ...). */
function memberString(input: Input, structure: string, key: string): string | undefined {
  const value = input[structure];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw validation(`${structure} must be a structure.`);
  return optionalString(value as Input, key);
}

/** One page of a list: `NextToken` is the offset of the next item. */
export function page<T>(items: T[], input: Input): { items: T[]; nextToken?: string } {
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) || 0 : 0;
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? input.Limit : 100;
  const end = start + limit;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}
