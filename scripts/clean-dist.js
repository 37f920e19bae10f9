'use strict';
// Before `npm pack` and `npm publish` (prepack; prepare then builds): the package holds the output of
// the sources as they are, not what tsc left behind for files since deleted or renamed.
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
