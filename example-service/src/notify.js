'use strict';

exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log(`notify customer: ${record.Sns.Message}`);
  }
};
