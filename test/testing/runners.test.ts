import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';

interface Run {
  code: number;
  output: string;
}

/** Runs a runner's real CLI in the repository, as a user would (`serverless-emulate/testing` from dist/). */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

const bin = (file: string) => path.join(ROOT, 'node_modules', file);
/** Each runner's command line, and how its summary says that both tests passed. */
const RUNNERS = {
  mocha: {
    args: [bin('mocha/bin/mocha.js'), '--no-config', 'examples/testing/mocha.test.mjs'],
    passed: /\b2 passing\b/,
  },
  'node:test': {
    args: ['--test', 'examples/testing/node-test.test.mjs'],
    passed: /# pass 2\s+# fail 0\b/,
  },
  jest: {
    args: [bin('jest/bin/jest.js'), '--rootDir', 'examples/testing', 'jest.test.js'],
    passed: /Tests:\s+2 passed, 2 total/,
  },
  vitest: {
    args: [bin('vitest/vitest.mjs'), 'run', '--root', 'examples/testing', 'vitest.test.mjs'],
    passed: /Tests\s+2 passed \(2\)/,
  },
};

// The alert function fails too: the example's waitFor for its success times out and says why.
const BROKEN = { ALERT_FAILS: '1' };
const WAIT_FAILURE =
  /waitFor: expected 1 invocation of alert with outcome ok, saw 0 within 1000 ms\.\s+The last invocations of alert:\s+- alert ← destination of charge \(attempt 1\): error Error: alerting is down/;

describe('serverless-emulate/testing under each runner: examples/testing through the real CLIs', function () {
  this.timeout(60_000);

  before(() => {
    if (!existsSync(path.join(ROOT, 'dist', 'testing', 'index.js'))) {
      throw new Error('dist/testing is missing: run `npm run build` (npm test does) first');
    }
  });

  for (const [runner, { args, passed }] of Object.entries(RUNNERS)) {
    it(`${runner}: the example passes`, async () => {
      const { code, output } = await run(args);
      assert.equal(code, 0, output);
      assert.match(output, passed, output);
    });
  }

  it('jest: a failing waitFor fails the run, saying what happened instead', async () => {
    const { code, output } = await run(RUNNERS.jest.args, BROKEN);
    assert.notEqual(code, 0, output);
    assert.match(output, WAIT_FAILURE, output);
    assert.match(output, /Tests:\s+1 failed, 1 passed, 2 total/, output);
  });

  it('mocha: a failing waitFor fails the run, saying what happened instead', async () => {
    const { code, output } = await run(RUNNERS.mocha.args, BROKEN);
    assert.equal(code, 1, output);
    assert.match(output, WAIT_FAILURE, output);
    assert.match(output, /1 passing[\s\S]*1 failing/, output);
  });
});
