'use strict';
// The baseline: a bare node:http server that calls the handler in-process.
const http = require('node:http');
const { hello } = require('./handler');

const server = http.createServer(async (req, res) => {
  const result = await hello({ rawPath: req.url, requestContext: { http: { method: req.method } } });
  res.writeHead(result.statusCode, { 'content-type': 'application/json' });
  res.end(result.body);
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('Ready.'));
