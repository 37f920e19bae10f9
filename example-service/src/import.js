'use strict';

// http with async: true: API Gateway answers 200 at once; Lambda retries a failure twice, then sends
// the event to destinations.onFailure (the failed-events queue).
exports.handler = async (event) => {
  const rows = Array.isArray(event.body && event.body.orders) ? event.body.orders : [];
  const invalid = rows.find((row) => !row || !row.id);
  if (invalid) throw new Error(`order without id: ${JSON.stringify(invalid)}`);
  // The authorizer's principalId, as the default request template passes it.
  console.log(`importing ${rows.length} orders for ${event.principalId}`);
  return { imported: rows.length };
};
