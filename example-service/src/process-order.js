'use strict';

// SQS with ReportBatchItemFailures: only the failed messages come back after the visibility timeout.
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      if (!order.id) throw new Error('order without id');
      console.log(`processed order ${order.id}`);
    } catch (error) {
      console.error(`message ${record.messageId}: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
