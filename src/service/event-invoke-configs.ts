import { parseArn, resourceNameOf } from './arn';
import { evaluate, type IntrinsicScope } from './intrinsics';
import { isObject } from './values';

/** What an `AWS::Lambda::EventInvokeConfig` resource gives a function's asynchronous invocations. */
export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAge?: number;
  /** The destinations as written (an ARN or an intrinsic), for `resolveReference`. */
  onSuccess?: unknown;
  onFailure?: unknown;
}

/**
 * The stack's `AWS::Lambda::EventInvokeConfig` resources of `$LATEST` (versions and aliases are not
 * emulated), by the deployed name of the function they configure. This is how a destination the
 * framework's `destinations` cannot deploy is written: serverless v3 and osls stop at
 * `sls package` with "Unsupported destination target arn:aws:s3:::<bucket>" for an S3 bucket, which
 * Lambda accepts as an async on-failure destination
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventinvokeconfig-onfailure.html).
 */
export function eventInvokeConfigs(
  resources: Record<string, unknown>,
  scope: IntrinsicScope,
): Map<string, EventInvokeConfig> {
  const result = new Map<string, EventInvokeConfig>();
  for (const resource of Object.values(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const props = isObject(resource.Properties) ? resource.Properties : {};
    const name = functionNameOf(evaluate(props.FunctionName, scope));
    const qualifier = evaluate(props.Qualifier, scope) ?? '$LATEST';
    if (name === undefined || qualifier !== '$LATEST') continue;
    const destinations = isObject(props.DestinationConfig) ? props.DestinationConfig : {};
    result.set(name, {
      maximumRetryAttempts: numberOf(props.MaximumRetryAttempts),
      maximumEventAge: numberOf(props.MaximumEventAgeInSeconds),
      onSuccess: destinationOf(destinations.OnSuccess),
      onFailure: destinationOf(destinations.OnFailure),
    });
  }
  return result;
}

/** `FunctionName` is a name, a function ARN or a partial ARN (`123456789012:function:name`). */
function functionNameOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const arn = parseArn(value);
  if (arn) return resourceNameOf(arn);
  return /(?:^|:)function:([^:]+)/.exec(value)?.[1] ?? value;
}

const destinationOf = (value: unknown): unknown =>
  isObject(value) && value.Destination !== '' ? value.Destination : undefined;

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}
