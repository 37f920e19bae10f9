import { isObject } from './values';

/** One target of an `AWS::Events::Rule`, as its Properties give it. */
export interface EventRuleTargetResource {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputTemplate: string; inputPathsMap?: Record<string, string> };
  messageGroupId?: string;
  partitionKeyPath?: string;
  deadLetterArn?: string;
}

export interface EventRuleResource {
  logicalId: string;
  name: string;
  /** The bus's name (EventBusName, a name or an ARN; default when absent). */
  eventBus: string;
  eventPattern?: unknown;
  scheduleExpression?: string;
  enabled: boolean;
  targets: EventRuleTargetResource[];
}

/**
 * An `AWS::Events::Rule` from its Properties with every intrinsic already resolved
 * (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html).
 */
export function readEventRule(
  logicalId: string,
  name: string,
  props: Record<string, unknown>,
): EventRuleResource {
  const bus = text(props.EventBusName);
  return {
    logicalId,
    name,
    eventBus: bus === undefined ? 'default' : bus.replace(/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, ''),
    eventPattern: props.EventPattern,
    scheduleExpression: text(props.ScheduleExpression),
    enabled: props.State === undefined || props.State === 'ENABLED',
    targets: (Array.isArray(props.Targets) ? props.Targets : []).filter(isObject).map(readTarget),
  };
}

function readTarget(raw: Record<string, unknown>): EventRuleTargetResource {
  const transformer = isObject(raw.InputTransformer) ? raw.InputTransformer : undefined;
  const template = text(transformer?.InputTemplate);
  return {
    id: text(raw.Id) ?? '',
    arn: text(raw.Arn) ?? '',
    input: text(raw.Input),
    inputPath: text(raw.InputPath),
    inputTransformer:
      template === undefined
        ? undefined
        : {
            inputTemplate: template,
            inputPathsMap: isObject(transformer?.InputPathsMap)
              ? (transformer.InputPathsMap as Record<string, string>)
              : undefined,
          },
    messageGroupId: text(member(raw.SqsParameters, 'MessageGroupId')),
    partitionKeyPath: text(member(raw.KinesisParameters, 'PartitionKeyPath')),
    deadLetterArn: text(member(raw.DeadLetterConfig, 'Arn')),
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const member = (value: unknown, key: string) => (isObject(value) ? value[key] : undefined);
