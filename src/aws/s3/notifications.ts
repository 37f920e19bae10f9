import type { Clock } from '../../clock';
import { bucketArn } from '../../service/arn';
import { createHash } from 'node:crypto';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { SourceOrigin } from '../../classify/origin';
import type { S3Notification } from './from-model';

/** What S3 hands to Lambda for one matching notification (invoked asynchronously by the caller). */
export interface S3Delivery {
  functionArn: string;
  payload: S3Event;
  /** `s3`, `<bucket> <eventName>`. */
  origin: SourceOrigin;
  /** The trace of the request that made the event, which S3 passes to the function. */
  traceHeader?: string;
}

export type Deliver = (delivery: S3Delivery) => void | Promise<void>;

export type S3EventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

/** Something that happened to an object, with what the request that caused it answered. */
export interface ObjectHappening {
  eventName: S3EventName;
  bucket: string;
  /** The region of the bucket. */
  region: string;
  key: string;
  /** Size and quoted ETag of a created object; absent for removals, whose records carry neither. */
  object?: { size: number; etag: string };
  /** The version made or removed, in a bucket with versioning (S3 omits it for the `null` version). */
  versionId?: string;
  requestId: string;
  hostId: string;
  /** Who made the request (its access key), and from where. */
  principal?: string;
  sourceIp: string;
  /** The request's `X-Amzn-Trace-Id`. */
  traceHeader?: string;
}

export interface NotifierOptions {
  notifications: S3Notification[];
  deliver: Deliver;
  accountId: string;
  clock: Clock;
  /** The next value of a counter that never decreases (persisted), for `sequencer`. */
  nextSequence: (floor: bigint) => bigint;
  /** Told when `deliver` throws or rejects; the request that caused the event still succeeds. */
  onDeliveryError?: (error: unknown, delivery: S3Delivery) => void;
}

/**
 * S3's event notifications to Lambda: for each configuration whose bucket, event type and key
 * filter (prefix, suffix) match, one record built as S3 builds it (event structure version 2.1).
 */
export class S3Notifier {
  private readonly ownerPrincipalId: string;

  constructor(private readonly options: NotifierOptions) {
    this.ownerPrincipalId = ownerId(options.accountId);
  }

  async notify(happening: ObjectHappening): Promise<void> {
    const matching = this.options.notifications.filter((n) => matches(n, happening));
    if (!matching.length) return;
    const now = new Date(this.options.clock.now());
    const sequencer = this.options
      .nextSequence(BigInt(now.getTime()) << 16n)
      .toString(16)
      .toUpperCase()
      .padStart(18, '0');
    const deliveries = matching.map((n) => ({
      functionArn: n.functionArn,
      payload: { Records: [this.record(n, happening, now, sequencer)] },
      origin: { kind: 's3' as const, detail: `${happening.bucket} ${happening.eventName}` },
      ...(happening.traceHeader === undefined ? {} : { traceHeader: happening.traceHeader }),
    }));
    // The request has succeeded whatever becomes of its notifications, as in S3.
    const outcomes = await Promise.allSettled(deliveries.map(async (d) => this.options.deliver(d)));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') this.options.onDeliveryError?.(outcome.reason, deliveries[i]);
    });
  }

  private record(n: S3Notification, h: ObjectHappening, now: Date, sequencer: string): S3EventRecord {
    const version = h.versionId !== undefined ? { versionId: h.versionId } : {};
    const object = h.object
      ? {
          key: encodeKey(h.key),
          size: h.object.size,
          eTag: h.object.etag.replace(/"/g, ''),
          ...version,
          sequencer,
        }
      : ({ key: encodeKey(h.key), ...version, sequencer } as S3EventRecord['s3']['object']);
    return {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: h.region,
      eventTime: now.toISOString(),
      eventName: h.eventName,
      userIdentity: { principalId: h.principal ? `AWS:${h.principal}` : 'ANONYMOUS_PRINCIPAL' },
      requestParameters: { sourceIPAddress: h.sourceIp },
      responseElements: { 'x-amz-request-id': h.requestId, 'x-amz-id-2': h.hostId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: n.configurationId,
        bucket: {
          name: h.bucket,
          ownerIdentity: { principalId: this.ownerPrincipalId },
          arn: bucketArn(h.region, h.bucket),
        },
        object,
      },
    };
  }
}

function matches(n: S3Notification, h: ObjectHappening): boolean {
  if (n.bucket !== h.bucket) return false;
  const event = `s3:${h.eventName}`;
  const type = n.event.endsWith('*') ? event.startsWith(n.event.slice(0, -1)) : event === n.event;
  return type && h.key.startsWith(n.prefix ?? '') && h.key.endsWith(n.suffix ?? '');
}

/**
 * S3's URL encoding of keys in event records and `encoding-type=url` listings
 * (application/x-www-form-urlencoded with `/` kept): `red flower.jpg` becomes `red+flower.jpg`.
 */
export function encodeKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The Amazon customer id of the bucket owner, in the shape S3 sends it (stable per account). */
export function ownerId(accountId: string): string {
  const digits = createHash('sha256').update(accountId).digest('hex').toUpperCase();
  return `A${digits.slice(0, 13)}`;
}
