import { strict as assert } from 'node:assert';
import { buildReport } from '../../src/report/build';
import { modelOf, type ServiceConfig } from '../helpers/service';

const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'failures' } };
const stream = { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'orders', ShardCount: 1 } };

const service = (fn: Record<string, unknown>): ServiceConfig => ({
  functions: { worker: { handler: 'h.handler', events: [{ sns: 'jobs' }], ...fn } },
  resources: { Failures: bucket, Orders: stream },
});

const found = (config: ServiceConfig, code: string) =>
  buildReport(modelOf(config))
    .findings.filter((f) => f.code === code)
    .map(({ level, event, message }) => ({ level, event, message }));

describe('report: S3 destinations', () => {
  it('DESTINATION_S3_ON_SUCCESS: an error, as Lambda takes S3 buckets on failure only', () => {
    const [finding, ...rest] = found(
      service({ destinations: { onSuccess: 'arn:aws:s3:::failures' } }),
      'DESTINATION_S3_ON_SUCCESS',
    );
    assert.equal(rest.length, 0);
    assert.equal(finding?.level, 'error');
    assert.match(finding?.message ?? '', /destinations\.onSuccess \(failures\) is an S3 bucket/);
  });

  it('DESTINATION_S3_PERMISSIONS: the role needs s3:PutObject and s3:ListBucket, for a function and for a stream', () => {
    const config = service({
      destinations: { onFailure: 'arn:aws:s3:::failures' },
      events: [
        { sns: 'jobs' },
        {
          stream: {
            type: 'kinesis',
            arn: { 'Fn::GetAtt': ['Orders', 'Arn'] },
            destinations: { onFailure: 'arn:aws:s3:::failures' },
          },
        },
      ],
    });
    const findings = found(config, 'DESTINATION_S3_PERMISSIONS');
    assert.deepEqual(
      findings.map(({ level, event }) => ({ level, event })),
      [
        { level: 'info', event: undefined },
        { level: 'info', event: 1 },
      ],
    );
    assert.match(findings[0]?.message ?? '', /s3:PutObject and s3:ListBucket/);
    assert.deepEqual(found(config, 'DESTINATION_S3_ON_SUCCESS'), []);
  });

  it('is silent for queue destinations', () => {
    const config = service({ destinations: { onFailure: 'arn:aws:sqs:us-east-1:000000000000:failed' } });
    assert.deepEqual(found(config, 'DESTINATION_S3_PERMISSIONS'), []);
  });
});
