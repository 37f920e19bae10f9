import { strict as assert } from 'node:assert';
import { createdResources } from '../../src/emulator/created-resources';
import { readyText } from '../../src/emulator/ready-text';
import { modelOf } from '../helpers/service';

const AWS = 'http://127.0.0.1:4566';

describe('readyText', () => {
  it('lists what the embedded services created, after the routes, and each schedule with its next fire', () => {
    const model = modelOf({
      service: 'shop',
      functions: {
        api: { handler: 'h.api', events: [{ httpApi: 'GET /orders' }] },
        nightly: { handler: 'h.nightly', events: [{ schedule: 'cron(0 2 * * ? *)' }] },
        worker: { handler: 'h.worker', events: [{ sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } }] },
      },
      resources: {
        Orders: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { TableName: 'orders', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
        },
        Users: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'users' } },
        Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
        Uploads: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'uploads' } },
        Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks', ShardCount: 1 } },
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-bus' } },
      },
    });
    const text = readyText(model, {
      aws: AWS,
      liveView: `${AWS}/_emulate/`,
      http: {
        url: 'http://127.0.0.1:3000',
        routes: [{ method: 'GET', url: 'http://127.0.0.1:3000/orders', function: 'api' }],
      },
      schedules: [
        { function: 'nightly', expression: 'cron(0 2 * * ? *)', next: new Date('2030-01-02T02:00:00.000Z') },
        { function: 'launch', expression: 'at(2020-01-01T00:00:00)' },
      ],
      mappings: ['worker ← sqs jobs (batch 10)'],
      resources: createdResources(model, AWS),
    });
    assert.equal(
      text,
      [
        'serverless-emulate: shop (stage dev, region us-east-1)',
        '  3 functions, 3 sources: push/sync 1, push/async 1, pull/sync 1',
        'HTTP: http://127.0.0.1:3000',
        '  GET     http://127.0.0.1:3000/orders  → api',
        'AWS endpoint: http://127.0.0.1:4566',
        '  Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations; handlers get AWS_ENDPOINT_URL set to it',
        '  DynamoDB tables: orders (stream NEW_IMAGE), users',
        '  SQS queues:',
        '    http://127.0.0.1:4566/queue/us-east-1/000000000000/jobs',
        '  SNS topics: alerts',
        '  S3 buckets: uploads',
        '  Kinesis streams: clicks',
        '  EventBridge buses: shop-bus',
        'Schedules:',
        '  nightly: cron(0 2 * * ? *), next 2030-01-02T02:00:00Z',
        '  launch: at(2020-01-01T00:00:00), fires no more',
        'Event source mappings:',
        '  worker ← sqs jobs (batch 10)',
        'Live view: http://127.0.0.1:4566/_emulate/ (topology, journeys, state, actions)',
        'Ready. Ctrl-C to stop.',
      ].join('\n'),
    );
  });

  it('counts in the singular for one function and one source, and names no resource the service lacks', () => {
    const model = modelOf({ functions: { api: { handler: 'h.api', events: [{ httpApi: 'GET /' }] } } });
    const text = readyText(model, {
      aws: AWS,
      liveView: `${AWS}/_emulate/`,
      schedules: [],
      mappings: [],
      resources: createdResources(model, AWS),
    });
    assert.match(text, /^ {2}1 function, 1 source: push\/sync 1$/m);
    assert.doesNotMatch(text, /tables|queues|topics|buckets|streams|buses|Schedules/);
  });
});
