import { strict as assert } from 'node:assert';
import { modelOf, type ServiceConfig } from '../helpers/service';

const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'failures' } };
const invokeConfig = (properties: Record<string, unknown>) => ({
  Type: 'AWS::Lambda::EventInvokeConfig',
  Properties: { Qualifier: '$LATEST', ...properties },
});

const service = (resources: Record<string, unknown>, fn: Record<string, unknown> = {}): ServiceConfig => ({
  functions: { worker: { handler: 'h.handler', ...fn } },
  resources: { Failures: bucket, ...resources },
});

const workerOf = (config: ServiceConfig) => {
  const fn = modelOf(config).functions[0];
  if (fn === undefined) throw new Error('no function');
  return fn;
};

describe('service/event-invoke-configs: AWS::Lambda::EventInvokeConfig resources', () => {
  it('gives the function its S3 on-failure destination and async settings (what `destinations` cannot deploy)', () => {
    const fn = workerOf(
      service({
        WorkerInvokeConfig: invokeConfig({
          FunctionName: { Ref: 'WorkerLambdaFunction' },
          MaximumRetryAttempts: 0,
          MaximumEventAgeInSeconds: 120,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Failures', 'Arn'] } } },
        }),
      }),
    );
    assert.equal(fn.destinations.onFailure?.kind, 's3');
    assert.equal(fn.destinations.onFailure?.name, 'failures');
    assert.equal(fn.destinations.onFailure?.status, 'service');
    assert.equal(fn.destinations.onSuccess, undefined);
    assert.equal(fn.maximumRetryAttempts, 0);
    assert.equal(fn.maximumEventAge, 120);
  });

  it('finds the function by its deployed name or ARN, and reads a queue destination by ARN', () => {
    const fn = workerOf(
      service({
        ByName: invokeConfig({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-worker',
          DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:done' } },
        }),
      }),
    );
    assert.equal(fn.destinations.onSuccess?.kind, 'sqs');
    assert.equal(fn.destinations.onSuccess?.name, 'done');
  });

  it('leaves the function’s own destinations and settings first, and ignores other qualifiers', () => {
    const own = workerOf(
      service(
        {
          Config: invokeConfig({
            FunctionName: 'svc-dev-worker',
            MaximumRetryAttempts: 0,
            DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failures' } },
          }),
        },
        { maximumRetryAttempts: 1, destinations: { onFailure: 'arn:aws:sqs:us-east-1:000000000000:failed' } },
      ),
    );
    assert.equal(own.destinations.onFailure?.kind, 'sqs');
    assert.equal(own.maximumRetryAttempts, 1);
    const alias = workerOf(
      service({
        Live: invokeConfig({
          FunctionName: 'svc-dev-worker',
          Qualifier: 'live',
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failures' } },
        }),
      }),
    );
    assert.equal(alias.destinations.onFailure, undefined);
    assert.equal(alias.maximumRetryAttempts, 2);
  });
});
