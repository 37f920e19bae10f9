import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { SnsService } from '../../../src/aws/sns/sns-service';
import { queuesFromModel } from '../../../src/aws/sqs/from-model';
import { SqsService } from '../../../src/aws/sqs/sqs-service';
import { queueDeliverer } from '../../../src/emulator/aws-services';
import { memoryDatabase } from '../../../src/state/database';
import { modelOf } from '../../helpers/service';
import { ACCOUNT, credentials, queueArn, REGION } from './helpers';

describe('aws/sqs fed by SNS, and the queues of a service', () => {
  it('receives what SNS publishes to sqs subscriptions, enveloped and raw', async () => {
    const db = memoryDatabase();
    const sqs = new SqsService({
      db,
      region: REGION,
      accountId: ACCOUNT,
      queues: [
        { name: 'wrapped', attributes: {} },
        { name: 'raw', attributes: {} },
      ],
    });
    const sns = new SnsService({
      db,
      region: REGION,
      accountId: ACCOUNT,
      topology: { topics: [], subscriptions: [] },
      deliver: () => undefined,
      deliverToQueue: queueDeliverer(async () => sqs),
    });
    const endpoint = new AwsEndpoint([sqs, sns]);
    const url = await endpoint.start('127.0.0.1', 0);
    const snsClient = new SNSClient({ endpoint: url, region: REGION, credentials });
    const sqsClient = new SQSClient({ endpoint: url, region: REGION, credentials });
    try {
      const { TopicArn } = await snsClient.send(new CreateTopicCommand({ Name: 'orders' }));
      await snsClient.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('wrapped') }),
      );
      await snsClient.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queueArn('raw'),
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      await snsClient.send(
        new PublishCommand({
          TopicArn,
          Message: 'hello',
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
        }),
      );
      const receive = async (name: string) =>
        (
          await sqsClient.send(
            new ReceiveMessageCommand({
              QueueUrl: `${url}/${ACCOUNT}/${name}`,
              MessageAttributeNames: ['All'],
            }),
          )
        ).Messages?.[0];
      const wrapped = await receive('wrapped');
      const envelope = JSON.parse(String(wrapped?.Body));
      assert.equal(envelope.Type, 'Notification');
      assert.equal(envelope.Message, 'hello');
      assert.deepEqual(envelope.MessageAttributes, { kind: { Type: 'String', Value: 'order' } });
      const raw = await receive('raw');
      assert.equal(raw?.Body, 'hello');
      assert.deepEqual(raw?.MessageAttributes, { kind: { DataType: 'String', StringValue: 'order' } });
    } finally {
      snsClient.destroy();
      sqsClient.destroy();
      sqs.stop();
      await endpoint.stop();
    }
  });

  it('defines the queues of resources and those that events, subscriptions and destinations name', () => {
    const model = modelOf({
      functions: {
        worker: {
          handler: 'h.worker',
          events: [
            { sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
            { sqs: 'arn:aws:sqs:us-east-1:000000000000:external.fifo' },
          ],
          destinations: { onFailure: { type: 'sqs', arn: 'arn:aws:sqs:us-east-1:000000000000:failures' } },
        },
      },
      resources: {
        Jobs: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            QueueName: 'jobs',
            VisibilityTimeout: 60,
            ReceiveMessageWaitTimeSeconds: 20,
            RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['JobsDlq', 'Arn'] }, maxReceiveCount: 3 },
          },
        },
        JobsDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs-dlq', FifoQueue: false } },
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
        Copy: {
          Type: 'AWS::SNS::Subscription',
          Properties: {
            TopicArn: { Ref: 'Alerts' },
            Protocol: 'sqs',
            Endpoint: 'arn:aws:sqs:us-east-1:000000000000:audit',
          },
        },
      },
    });
    const queues = queuesFromModel(model);
    const byName = Object.fromEntries(queues.map((queue) => [queue.name, queue.attributes]));
    assert.deepEqual(Object.keys(byName).sort(), ['audit', 'external.fifo', 'failures', 'jobs', 'jobs-dlq']);
    assert.deepEqual(byName.jobs, {
      VisibilityTimeout: '60',
      DelaySeconds: '0',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '20',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:jobs-dlq',
        maxReceiveCount: 3,
      }),
    });
    assert.deepEqual(byName['external.fifo'], { FifoQueue: 'true' });
  });
});
