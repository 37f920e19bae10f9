import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-kinesis';
import assert from 'node:assert/strict';
import { failure, startKinesis, streamArn, type RunningKinesis } from './helpers';

describe('aws/kinesis retention, tags, encryption and enhanced monitoring', () => {
  let kinesis: RunningKinesis;
  const StreamName = 'orders';

  beforeEach(async () => {
    kinesis = await startKinesis();
    await kinesis.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  });

  afterEach(() => kinesis.stop());

  const describe_ = async () =>
    (await kinesis.client.send(new DescribeStreamCommand({ StreamName }))).StreamDescription;

  it('IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod, as DescribeStream shows', async () => {
    await kinesis.client.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 168 }),
    );
    assert.equal((await describe_())?.RetentionPeriodHours, 168);
    const shorter = await failure(
      kinesis.client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 })),
    );
    assert.equal(shorter.name, 'InvalidArgumentException');
    assert.match(shorter.message, /can not be shorter than existing retention period \(168 hours\)/);
    await kinesis.client.send(
      new DecreaseStreamRetentionPeriodCommand({
        StreamARN: streamArn(StreamName),
        RetentionPeriodHours: 48,
      }),
    );
    const summary = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    assert.equal(summary.StreamDescriptionSummary?.RetentionPeriodHours, 48);
    const tooShort = await failure(
      kinesis.client.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 12 })),
    );
    assert.equal(tooShort.name, 'InvalidArgumentException');
    assert.match(tooShort.message, /Minimum allowed retention period is 24 hours/);
    const tooLong = await failure(
      kinesis.client.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 9000 }),
      ),
    );
    assert.equal(tooLong.name, 'ValidationException');
  });

  it('tags through the stream calls and the resource calls', async () => {
    await kinesis.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { team: 'a', env: 'dev' } }));
    await kinesis.client.send(new AddTagsToStreamCommand({ StreamName, Tags: { team: 'b' } }));
    const listed = await kinesis.client.send(new ListTagsForStreamCommand({ StreamName, Limit: 1 }));
    assert.deepEqual(listed.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.equal(listed.HasMoreTags, true);
    const rest = await kinesis.client.send(
      new ListTagsForStreamCommand({ StreamName, ExclusiveStartTagKey: 'env' }),
    );
    assert.deepEqual(rest, {
      Tags: [{ Key: 'team', Value: 'b' }],
      HasMoreTags: false,
      $metadata: rest.$metadata,
    });
    await kinesis.client.send(new RemoveTagsFromStreamCommand({ StreamName, TagKeys: ['env'] }));
    const ResourceARN = streamArn(StreamName);
    await kinesis.client.send(new TagResourceCommand({ ResourceARN, Tags: { cost: 'x' } }));
    await kinesis.client.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['team'] }));
    const { Tags } = await kinesis.client.send(new ListTagsForResourceCommand({ ResourceARN }));
    assert.deepEqual(Tags, [{ Key: 'cost', Value: 'x' }]);
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await failure(
      kinesis.client.send(new AddTagsToStreamCommand({ StreamName, Tags: many })),
    );
    assert.equal(tooMany.name, 'InvalidArgumentException');
    const missing = await failure(
      kinesis.client.send(new ListTagsForResourceCommand({ ResourceARN: streamArn('nope') })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    // A stream created again has no tags.
    await kinesis.client.send(new DeleteStreamCommand({ StreamName }));
    await kinesis.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    assert.deepEqual((await kinesis.client.send(new ListTagsForStreamCommand({ StreamName }))).Tags, []);
  });

  it('StartStreamEncryption and StopStreamEncryption', async () => {
    assert.equal((await describe_())?.EncryptionType, 'NONE');
    await kinesis.client.send(
      new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }),
    );
    const encrypted = await describe_();
    assert.equal(encrypted?.EncryptionType, 'KMS');
    assert.equal(encrypted?.KeyId, 'alias/aws/kinesis');
    await kinesis.client.send(
      new StopStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }),
    );
    const plain = await describe_();
    assert.equal(plain?.EncryptionType, 'NONE');
    assert.equal(plain?.KeyId, undefined);
  });

  it('EnableEnhancedMonitoring and DisableEnhancedMonitoring', async () => {
    const enabled = await kinesis.client.send(
      new EnableEnhancedMonitoringCommand({
        StreamName,
        ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'],
      }),
    );
    assert.deepEqual(
      [enabled.StreamName, enabled.CurrentShardLevelMetrics, enabled.DesiredShardLevelMetrics],
      [StreamName, [], ['IncomingBytes', 'OutgoingRecords']],
    );
    assert.deepEqual((await describe_())?.EnhancedMonitoring, [
      { ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'] },
    ]);
    const all = await kinesis.client.send(
      new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }),
    );
    assert.equal(all.DesiredShardLevelMetrics?.length, 7);
    const disabled = await kinesis.client.send(
      new DisableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }),
    );
    assert.deepEqual(disabled.DesiredShardLevelMetrics, []);
    const wrong = await failure(
      kinesis.client.send(
        new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['Nope' as never] }),
      ),
    );
    assert.equal(wrong.name, 'ValidationException');
  });
});
