import { strict as assert } from 'node:assert';
import { stackResources } from '../../src/service/plugin-resources';

describe('stackResources', () => {
  it("merges resources.Resources over what plugins compiled, deeply, as the framework's deploy does", () => {
    const resources = stackResources({
      service: 'svc',
      provider: {
        name: 'aws',
        compiledCloudFormationTemplate: {
          Resources: {
            Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs', VisibilityTimeout: 30 } },
            Audit: { Type: 'AWS::SQS::Queue' },
          },
        },
      },
      resources: {
        Resources: {
          Jobs: { Properties: { VisibilityTimeout: 120 } },
          Table: { Type: 'AWS::DynamoDB::Table' },
        },
      },
    });
    assert.deepEqual(resources, {
      Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs', VisibilityTimeout: 120 } },
      Audit: { Type: 'AWS::SQS::Queue' },
      Table: { Type: 'AWS::DynamoDB::Table' },
    });
  });

  it('is resources.Resources alone when nothing was compiled', () => {
    const own = { Bucket: { Type: 'AWS::S3::Bucket' } };
    assert.deepEqual(
      stackResources({ service: 'svc', provider: { name: 'aws' }, resources: { Resources: own } }),
      own,
    );
  });
});
