'use strict';

// Invoked by SNS (order-events, filtered to shipped/delivered) and as onShipped's onSuccess destination.
exports.handler = async (event) => {
  if (event.Records) {
    for (const record of event.Records) console.log(`notify customer: ${record.Sns.Message}`);
    return;
  }
  const { condition } = event.requestContext;
  console.log(`notify customer of ${JSON.stringify(event.responsePayload)} (${condition})`);
};
