'use strict';

// Always fails: each async event is tried three times, then goes to `alert`.
exports.charge = async (event) => {
  throw new Error(`card declined for order ${event.orderId}`);
};

// The on-failure destination: receives the event and the last error. (ALERT_FAILS=1 makes it fail
// too, to see how a test's waitFor reports what happened instead.)
exports.alert = async () => {
  if (process.env.ALERT_FAILS) throw new Error('alerting is down');
  return { alerted: true };
};

exports.hello = async (event) => ({ message: `hello ${event.queryStringParameters?.name ?? 'world'}` });
