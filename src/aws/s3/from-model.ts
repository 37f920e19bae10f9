import { createHash } from 'node:crypto';
import { functionArn } from '../../service/arn';
import type { FunctionModel, S3Event as S3EventSpec, ServiceModel } from '../../service/model';
import type { CorsRule } from './cors';

/** One bucket notification that invokes a function, as the service's `s3` events configure it. */
export interface S3Notification {
  bucket: string;
  /** An S3 event type such as `s3:ObjectCreated:*` or `s3:ObjectRemoved:Delete`. */
  event: string;
  prefix?: string;
  suffix?: string;
  functionArn: string;
  /** The notification configuration's Id, sent as `s3.configurationId` in every record. */
  configurationId: string;
}

/** The prefixes and suffixes S3 reserves (access point aliases, directory and table buckets, ...). */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** S3's bucket naming rules (general purpose buckets). */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/**
 * Whether a name from the service can be a bucket here: S3's rules, relaxed to what legacy us-east-1
 * buckets allowed (upper case, underscores, up to 255 characters), as a logical id used as a name
 * is. Unresolved references (`!Ref X`, `!ImportValue ...`) are not names.
 */
function isUsableBucketName(name: string): boolean {
  return /^[A-Za-z0-9._-]{3,255}$/.test(name);
}

/**
 * The buckets the service names: those of its functions' `s3` events and its `AWS::S3::Bucket`
 * resources. Names that could not be resolved locally (an import, an unknown reference) are left out.
 */
export function bucketsFromModel(model: ServiceModel): string[] {
  const names = new Set<string>();
  for (const fn of model.functions) {
    for (const event of fn.events) if (event.type === 's3') names.add(event.bucket);
  }
  for (const bucket of model.resources.buckets.values()) names.add(bucket.name);
  return [...names].filter(isUsableBucketName);
}

/** The CORS rules of the service's `AWS::S3::Bucket` resources (`CorsConfiguration`), by bucket. */
export function corsFromModel(model: ServiceModel): Map<string, CorsRule[]> {
  const result = new Map<string, CorsRule[]>();
  for (const bucket of model.resources.buckets.values()) {
    if (bucket.corsRules) result.set(bucket.name, bucket.corsRules);
  }
  return result;
}

/** Every function's `s3` events as bucket notifications, in the order of the functions and events. */
export function notificationsFromModel(model: ServiceModel): S3Notification[] {
  const result: S3Notification[] = [];
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 's3' || !isUsableBucketName(event.bucket)) continue;
      result.push({
        bucket: event.bucket,
        event: event.event,
        prefix: event.rules.find((r) => r.prefix !== undefined)?.prefix,
        suffix: event.rules.find((r) => r.suffix !== undefined)?.suffix,
        functionArn: functionArn(model, fn),
        configurationId: configurationId(fn, event),
      });
    }
  }
  return result;
}

/**
 * For `existing: true` the framework's custom resource names the configuration
 * `<function name>-<md5 of {Event, Rules}>`; for a bucket the stack creates, CloudFormation generates
 * the Id, so a stable one of the same look (base64 of a UUID) is derived from the function and event.
 */
function configurationId(fn: FunctionModel, event: S3EventSpec): string {
  if (event.existing) {
    const rules = event.rules.map((r) =>
      r.prefix !== undefined ? { Prefix: r.prefix } : { Suffix: r.suffix },
    );
    const config = JSON.stringify({ Event: event.event, Rules: rules });
    return `${fn.name}-${createHash('md5').update(config).digest('hex')}`;
  }
  const hex = createHash('md5').update(`${fn.name}:${event.index}:${event.event}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  return Buffer.from(uuid).toString('base64');
}
