'use strict';

// S3 notifications: CSV imports under incoming/, and the receipts processOrder writes under receipts/.
exports.handler = async (event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const receipt = /^receipts\/(.+)\.json$/.exec(key);
    if (receipt) console.log(`receipt for order ${receipt[1]} stored`);
    else console.log(`uploaded s3://${record.s3.bucket.name}/${key} (${record.s3.object.size} bytes)`);
  }
};
