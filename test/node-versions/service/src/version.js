const { isMainThread } = require('node:worker_threads');

const initializedAt = Date.now();
let invocations = 0;

exports.handler = async () => {
  invocations += 1;
  console.log('running on', process.version);
  return { version: process.version, workerThread: !isMainThread, initializedAt, invocations };
};
