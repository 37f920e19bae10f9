'use strict';
// The least any server can do that runs the handler in worker threads, as sls emulate must: one warm
// worker per concurrent request, one message each way, no event building, logging or timeouts.
const http = require('node:http');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

if (isMainThread) {
  const idle = [];
  const server = http.createServer((req, res) => {
    const worker = idle.pop() ?? new Worker(__filename);
    worker.once('message', (message) => {
      idle.push(worker);
      const result = JSON.parse(message);
      res.writeHead(result.statusCode, { 'content-type': 'application/json' });
      res.end(result.body);
    });
    worker.postMessage(
      JSON.stringify({ rawPath: req.url, requestContext: { http: { method: req.method } } }),
    );
  });
  server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('Ready.'));
} else {
  const { hello } = require('./handler');
  parentPort.on('message', async (event) =>
    parentPort.postMessage(JSON.stringify(await hello(JSON.parse(event)))),
  );
}
