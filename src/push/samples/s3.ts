import { bucketArn } from '../../service/arn';
import type { S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { notificationsFromModel } from '../../aws/s3/from-model';
import { encodeKey, ownerId } from '../../aws/s3/notifications';
import type { S3Event as S3EventSpec } from '../../service/model';
import { ALPHABETS, CLIENT_IP, derive, deriveBytes, type SampleContext } from './context';

/** The event name a notification's event type (`s3:ObjectCreated:*`) stands for in a sample. */
export function eventNameOf(eventType: string): string {
  const name = eventType.replace(/^s3:/, '');
  if (!name.endsWith(':*')) return name;
  const family = name.slice(0, -2);
  const typical: Record<string, string> = {
    ObjectCreated: 'ObjectCreated:Put',
    ObjectRemoved: 'ObjectRemoved:Delete',
    ObjectRestore: 'ObjectRestore:Completed',
    ObjectTagging: 'ObjectTagging:Put',
    ObjectAcl: 'ObjectAcl:Put',
    LifecycleExpiration: 'LifecycleExpiration:Delete',
  };
  return typical[family] ?? family;
}

/** A key the notification's rules (prefix, suffix) accept: `<prefix>sample<suffix>`, `.json` when none. */
export function keyFor(rules: S3EventSpec['rules']): string {
  const prefix = rules.find((r) => r.prefix !== undefined)?.prefix ?? '';
  const suffix = rules.find((r) => r.suffix !== undefined)?.suffix ?? '.json';
  return `${prefix}sample${suffix}`;
}

/**
 * One S3 notification record (event structure 2.1, https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html)
 * for the `s3` event's bucket and event type, with a key its rules accept (`overrides`, a string, is
 * the key instead), URL-encoded as S3 does, and the configuration id the embedded S3 registers for the
 * event (aws/s3/from-model.ts). Removals carry no size or eTag.
 */
export function s3Event(spec: S3EventSpec, context: SampleContext): S3Event {
  const { service, fn, now, newId, overrides } = context;
  const key = typeof overrides === 'string' ? overrides : keyFor(spec.rules);
  const eventName = eventNameOf(spec.event);
  const [notification] = notificationsFromModel({ ...service, functions: [{ ...fn, events: [spec] }] });
  const sequencer = ((BigInt(now.getTime()) << 16n) | 1n).toString(16).toUpperCase().padStart(18, '0');
  const removed = eventName.startsWith('ObjectRemoved') || eventName.startsWith('LifecycleExpiration');
  const content = `sample content of ${key}`;
  const object = removed
    ? ({ key: encodeKey(key), sequencer } as S3Event['Records'][number]['s3']['object'])
    : {
        key: encodeKey(key),
        size: Buffer.byteLength(content),
        eTag: createHash('md5').update(content).digest('hex'),
        sequencer,
      };
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: service.region,
        eventTime: now.toISOString(),
        eventName,
        userIdentity: { principalId: `AWS:AIDA${derive(`user:${service.accountId}`, 17, ALPHABETS.upper)}` },
        requestParameters: { sourceIPAddress: CLIENT_IP },
        responseElements: {
          'x-amz-request-id': derive(newId(), 16, ALPHABETS.hex).toUpperCase(),
          'x-amz-id-2': deriveBytes(newId(), 57).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: notification?.configurationId ?? `${fn.name}-s3-${spec.index + 1}`,
          bucket: {
            name: spec.bucket,
            ownerIdentity: { principalId: ownerId(service.accountId) },
            arn: bucketArn(service.region, spec.bucket),
          },
          object,
        },
      },
    ],
  };
}
