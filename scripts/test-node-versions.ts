// The smoke tests on each Node major Lambda runs besides the host's (`npm run test:node-versions`, and
// CI after the whole suite on the host's Node): mocha, the framework CLIs, the plugin and its emulator
// all run on that Node, with better-sqlite3 built for its ABI (scripts/native-addons.cjs).
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../test/helpers/cli';
import { nodeBinary } from '../test/helpers/node-versions';

const MAJORS = [22, 24] as const;

// The hosts (serverless@3 is the default of the rest), the HTTP fronts, push deliveries, the mappings
// and the durable async queue: what depends on the Node version (the native state database, worker
// threads, HTTP and the framework CLIs) without repeating the whole suite.
const SMOKE_TESTS = [
  'test/integration/hosts.test.ts',
  'test/emulator/http-fronts.test.ts',
  'test/emulator/push-sources.test.ts',
  'test/emulator/pull-sources.test.ts',
  'test/emulator/async.test.ts',
];

const NATIVE_ADDONS = path.join(ROOT, 'scripts', 'native-addons.cjs');
const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

async function main(): Promise<number> {
  const started = Date.now();
  const nodes = MAJORS.map((major) => nodeBinary(major));
  // The builds are CPU-bound and independent: both at once.
  console.log(`better-sqlite3 for Node ${MAJORS.join(' and ')} (built once, about a minute and a half)`);
  const builds = await Promise.all(
    nodes.map((node) => promisify(execFile)(process.execPath, [NATIVE_ADDONS, node], { cwd: ROOT })),
  );
  for (const { stdout } of builds) process.stdout.write(stdout);
  let failed = 0;
  for (const node of nodes) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`\n== Node ${version}: ${SMOKE_TESTS.length} smoke test files`);
    const run = Date.now();
    const mocha = spawnSync(
      node,
      [
        path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        ...['--no-config', '-r', 'tsx/cjs', '--extension', 'ts', '--timeout', '60000'],
        ...SMOKE_TESTS,
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, NODE_OPTIONS: `--require "${NATIVE_ADDONS}"` },
      },
    );
    console.log(`== Node ${version}: ${mocha.status === 0 ? 'passed' : 'FAILED'} in ${seconds(run)}`);
    if (mocha.status !== 0) failed++;
  }
  console.log(`\nNode ${MAJORS.join(', ')}: ${seconds(started)} in all`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
