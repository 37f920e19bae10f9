import { strict as assert } from 'node:assert';
import { kinesisStreamsFromModel } from '../../../src/aws/kinesis/from-model';
import { modelOf } from '../../helpers/service';

const arn = (name: string, account = '000000000000') => `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;

describe('aws/kinesis streams from the service', () => {
  it('takes the Kinesis stream resources and the streams that stream events name otherwise', () => {
    const model = modelOf({
      functions: {
        worker: {
          handler: 'h.worker',
          events: [
            { stream: { type: 'kinesis', arn: { 'Fn::GetAtt': ['Clicks', 'Arn'] } } },
            { stream: arn('external', '111122223333') },
            { stream: { type: 'kinesis', arn: arn('external', '111122223333'), batchSize: 5 } },
            { stream: { type: 'dynamodb', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x' } },
          ],
        },
      },
      resources: {
        Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks', ShardCount: 3 } },
        Views: {
          Type: 'AWS::Kinesis::Stream',
          Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' } },
        },
      },
    });
    assert.deepEqual(kinesisStreamsFromModel(model), [
      { name: 'clicks', arn: arn('clicks'), mode: 'PROVISIONED', shardCount: 3 },
      { name: 'Views', arn: arn('Views'), mode: 'ON_DEMAND', shardCount: 4 },
      { name: 'external', arn: arn('external', '111122223333'), mode: 'PROVISIONED', shardCount: 1 },
    ]);
  });
});
