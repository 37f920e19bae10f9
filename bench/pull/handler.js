'use strict';

const { appendFileSync } = require('node:fs');

// One line per record, one write per batch: "<id> <sent at> <accepted at> <started at>", where the
// body (SQS) or data (Kinesis) is "<id> <sent at>" (the sender's clock before its call), "accepted at"
// is the service's stamp (SQS SentTimestamp, Kinesis approximateArrivalTimestamp) and "started at" is
// when this invocation began. Everything else is left out so that the handler costs next to nothing.
exports.sqs = async (event) => {
  const started = Date.now();
  let lines = '';
  for (const r of event.Records) lines += `${r.body} ${r.attributes.SentTimestamp} ${started}\n`;
  appendFileSync(process.env.STARTS_FILE, lines);
};

exports.kinesis = async (event) => {
  const started = Date.now();
  let lines = '';
  for (const r of event.Records) {
    const data = Buffer.from(r.kinesis.data, 'base64').toString('utf8');
    lines += `${data} ${Math.round(r.kinesis.approximateArrivalTimestamp * 1000)} ${started}\n`;
  }
  appendFileSync(process.env.STARTS_FILE, lines);
};
