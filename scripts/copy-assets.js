'use strict';
// Files the compiled package needs besides tsc's output.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const assets = [
  'runtime/runtime-api/bootstrap.py',
  'runtime/node/esm-resolve-hooks.mjs',
  'live/page/index.html',
  'live/page/app.js',
  'live/page/app.css',
];
for (const asset of assets) {
  fs.mkdirSync(path.dirname(path.join(root, 'dist', asset)), { recursive: true });
  fs.copyFileSync(path.join(root, 'src', asset), path.join(root, 'dist', asset));
}
