'use strict';

const { appendFileSync } = require('node:fs');

// Records when each event started: "<id> <sent at> <started at>". The S3 key is "<id>-<sent at>".
exports.noop = async (event) => {
  if (event.Records) {
    const key = event.Records[0].s3.object.key;
    const cut = key.lastIndexOf('-');
    appendFileSync(process.env.STARTS_FILE, `${key.slice(0, cut)} ${key.slice(cut + 1)} ${Date.now()}\n`);
  } else {
    appendFileSync(process.env.STARTS_FILE, `${event.id} ${event.sentAt} ${Date.now()}\n`);
  }
};
