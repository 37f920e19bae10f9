'use strict';

// The framework loads serverless.ts through ts-node, which it resolves beside itself or in the service,
// unless a TypeScript loader is already registered (it checks ts-node's marker). ts-node is no
// dependency here: tsx, which the tests run on, registers the loader, and the marker says so.
require('tsx/cjs');
process[Symbol.for('ts-node.register.instance')] = true;
