'use strict';

const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const sns = new SNSClient({});

// DynamoDB stream of the orders table: every new or changed order is announced on order-events.
exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log(`${record.eventName} ${JSON.stringify(record.dynamodb.Keys)}`);
    const image = record.dynamodb.NewImage;
    if (!image) continue;
    await sns.send(
      new PublishCommand({
        TopicArn: process.env.ORDER_EVENTS_TOPIC,
        Message: JSON.stringify({ id: image.id.S, status: image.status && image.status.S }),
        MessageAttributes: {
          status: { DataType: 'String', StringValue: (image.status && image.status.S) || 'unknown' },
        },
      }),
    );
  }
};
