import { strict as assert } from 'node:assert';
import { describe as describeIntrinsic, evaluate, referencedLogicalId } from '../../src/service/intrinsics';
import { readResources } from '../../src/service/resources';

const resources = readResources(
  {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
    Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': '${AWS::StackName}-alerts' } } },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { StreamSpecification: { StreamViewType: 'KEYS_ONLY' } },
    },
    Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks', ShardCount: 3 } },
  },
  { region: 'eu-west-1', account: '000000000000', stackName: 'svc-dev' },
  new Map([['WorkerLambdaFunction', 'svc-dev-worker']]),
);
const scope = resources.scope;

describe('CloudFormation intrinsics', () => {
  it('resolves Ref to what CloudFormation returns for each resource type', () => {
    assert.equal(evaluate({ Ref: 'Queue' }, scope), 'https://sqs.eu-west-1.amazonaws.com/000000000000/jobs');
    assert.equal(evaluate({ Ref: 'Topic' }, scope), 'arn:aws:sns:eu-west-1:000000000000:svc-dev-alerts');
    assert.equal(evaluate({ Ref: 'Table' }, scope), 'Table');
    assert.equal(evaluate({ Ref: 'AWS::Region' }, scope), 'eu-west-1');
  });

  it('resolves Fn::GetAtt in both its list and its dotted form', () => {
    assert.equal(
      evaluate({ 'Fn::GetAtt': ['Queue', 'Arn'] }, scope),
      'arn:aws:sqs:eu-west-1:000000000000:jobs',
    );
    assert.equal(
      evaluate({ 'Fn::GetAtt': 'Stream.Arn' }, scope),
      'arn:aws:kinesis:eu-west-1:000000000000:stream/clicks',
    );
    assert.equal(evaluate({ 'Fn::GetAtt': ['Queue', 'QueueName'] }, scope), 'jobs');
    assert.match(evaluate({ 'Fn::GetAtt': ['Table', 'StreamArn'] }, scope) ?? '', /:table\/Table\/stream\//);
    assert.equal(
      evaluate({ 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] }, scope),
      'arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-worker',
    );
  });

  it('resolves Fn::Join and Fn::Sub, with pseudo parameters, attributes and variables', () => {
    const join = {
      'Fn::Join': [':', ['arn:aws:sqs', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'jobs']],
    };
    assert.equal(evaluate(join, scope), 'arn:aws:sqs:eu-west-1:000000000000:jobs');
    assert.equal(
      evaluate({ 'Fn::Sub': 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}' }, scope),
      'arn:aws:sqs:eu-west-1:000000000000:jobs',
    );
    assert.equal(evaluate({ 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Stream' } }] }, scope), 'clicks-x');
  });

  it('leaves what cannot be known locally unresolved', () => {
    assert.equal(evaluate({ 'Fn::ImportValue': 'shared-queue-arn' }, scope), undefined);
    assert.equal(evaluate({ 'Fn::GetAtt': ['Nope', 'Arn'] }, scope), undefined);
    assert.equal(evaluate({ 'Fn::Sub': '${Nope.Arn}' }, scope), undefined);
    assert.equal(evaluate({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'x' }, 'y']] }, scope), undefined);
  });

  it('names a resource after its name property, else its logical id (with .fifo for FIFO queues)', () => {
    assert.ok(resources.topics.has('svc-dev-alerts'));
    assert.ok(resources.queues.has('Fifo.fifo'));
    assert.equal(resources.kinesisStreams.get('clicks')?.shardCount, 3);
    assert.equal(resources.tables.get('Table')?.streamViewType, 'KEYS_ONLY');
  });

  it('describes intrinsics in YAML short form and finds the logical id they point at', () => {
    assert.equal(describeIntrinsic({ 'Fn::GetAtt': ['Queue', 'Arn'] }), '!GetAtt Queue.Arn');
    assert.equal(describeIntrinsic({ Ref: 'Topic' }), '!Ref Topic');
    assert.equal(describeIntrinsic({ 'Fn::ImportValue': 'x' }), '!ImportValue x');
    assert.equal(referencedLogicalId({ 'Fn::GetAtt': 'Queue.Arn' }), 'Queue');
    assert.equal(referencedLogicalId({ Ref: 'AWS::Region' }), undefined);
  });
});
