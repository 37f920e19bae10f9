'use strict';

const { appendFileSync } = require('node:fs');

exports.hello = async () => ({ statusCode: 200, body: '{"message":"hello"}' });

// One byte per record delivered (an S3 notification, an SNS message, an SQS message) or per event.
exports.count = async (event) => {
  appendFileSync(process.env.STARTS_FILE, 'x'.repeat(event.Records ? event.Records.length : 1));
};
