import { buildArn } from '../../service/arn';
import type { ServiceModel } from '../../service/model';
import type { KinesisStreamSpec } from './kinesis-service';
import { ON_DEMAND_SHARDS } from './streams';

/** A name Kinesis accepts (an unresolved reference is none). */
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * The streams the service defines: its `AWS::Kinesis::Stream` resources, and the Kinesis streams its
 * `stream` events name that are no resource (one shard each, under the ARN the event gives).
 */
export function kinesisStreamsFromModel(model: ServiceModel): KinesisStreamSpec[] {
  const streams = new Map<string, KinesisStreamSpec>();
  for (const resource of model.resources.kinesisStreams.values()) {
    streams.set(resource.name, {
      name: resource.name,
      arn: resource.arn,
      mode: resource.onDemand ? 'ON_DEMAND' : 'PROVISIONED',
      shardCount: resource.onDemand ? ON_DEMAND_SHARDS : resource.shardCount,
    });
  }
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'stream' || event.streamType !== 'kinesis') continue;
      const { name, arn } = event.stream;
      if (name === undefined || !STREAM_NAME.test(name) || streams.has(name)) continue;
      streams.set(name, {
        name,
        arn: arn ?? buildArn('kinesis', model.region, model.accountId, `stream/${name}`),
        mode: 'PROVISIONED',
        shardCount: 1,
      });
    }
  }
  return [...streams.values()];
}
