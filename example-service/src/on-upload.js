'use strict';

exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log(
      `uploaded s3://${record.s3.bucket.name}/${record.s3.object.key} (${record.s3.object.size} bytes)`,
    );
  }
};
