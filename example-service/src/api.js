'use strict';

const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { KinesisClient, PutRecordCommand } = require('@aws-sdk/client-kinesis');

// Under sls emulate, AWS_ENDPOINT_URL points the clients at the emulator's embedded services.
const dynamodb = new DynamoDBClient({});
const kinesis = new KinesisClient({});

// httpApi (payload 2.0): GET /orders/{id}, POST /orders
exports.handler = async (event) => {
  if (event.requestContext.http.method === 'POST') {
    // HTTP API base64-encodes bodies that are not text (a form post, for one).
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
    const order = JSON.parse(body || '{}');
    const id = order.id || 'new';
    await dynamodb.send(
      new PutItemCommand({
        TableName: process.env.ORDERS_TABLE,
        Item: { id: { S: id }, status: { S: 'accepted' } },
      }),
    );
    return { statusCode: 201, body: JSON.stringify({ id, status: 'accepted' }) };
  }
  const { id } = event.pathParameters;
  await kinesis.send(
    new PutRecordCommand({
      StreamName: process.env.CLICK_STREAM,
      PartitionKey: id,
      Data: Buffer.from(JSON.stringify({ orderId: id, at: Date.now() })),
    }),
  );
  return { id, status: 'pending', table: process.env.ORDERS_TABLE };
};

// http (REST, payload 1.0) and the function URL
exports.health = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });
