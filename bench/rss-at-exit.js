'use strict';
// Preloaded into `sls print` by the bench: the process's RSS as it exits, in bytes.
process.on('exit', () => process.stderr.write(`rss-at-exit ${process.memoryUsage().rss}\n`));
