'use strict';

const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({ forcePathStyle: true });

// SQS with ReportBatchItemFailures: only the failed messages come back after the visibility timeout,
// and after 5 receives the queue moves them to orders-dlq.
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      if (!order.id) throw new Error('order without id');
      await s3.send(
        new PutObjectCommand({
          Bucket: process.env.UPLOADS_BUCKET,
          Key: `receipts/${order.id}.json`,
          Body: JSON.stringify({ ...order, processedAt: new Date().toISOString() }),
          ContentType: 'application/json',
        }),
      );
      console.log(`processed order ${order.id}`);
    } catch (error) {
      console.error(`message ${record.messageId}: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
