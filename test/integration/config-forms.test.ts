import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/build';
import { fixture, serverless } from '../helpers/cli';
import { startEmulator } from '../helpers/emulate';

// serverless.ts is loaded by the framework itself, through the ts-node it finds (a devDependency here).
const FORMS = ['ts', 'js', 'json'];

describe('serverless.ts, serverless.js and serverless.json work as serverless.yml does', function () {
  this.timeout(60_000);
  const stateRoot = mkdtempSync(path.join(tmpdir(), 'config-forms-'));
  after(() => rmSync(stateRoot, { recursive: true, force: true }));

  for (const form of FORMS) {
    describe(`serverless.${form}`, () => {
      const dir = fixture(path.join('config-forms', form));

      it('is reported, its intrinsics resolved', async () => {
        const result = await serverless(dir, ['invocation-report', '--format', 'json']);
        assert.equal(result.code, 0, result.stdout + result.stderr);
        const report = JSON.parse(result.stdout) as Report;
        assert.equal(report.service, `config-form-${form}`);
        assert.deepEqual(
          report.functions.map((fn) => `${fn.name}: ${fn.events.map((e) => `${e.type} ${e.resource}`)}`),
          ['hello: httpApi GET /hello (payload 2.0)', 'worker: sqs queue jobs-dev'],
        );
      });

      it('is emulated: one invocation through its HTTP API', async () => {
        const emulator = await startEmulator(dir, ['--state-dir', path.join(stateRoot, form)]);
        try {
          const response = await fetch(`${emulator.http}/hello`);
          assert.equal(response.status, 200);
          assert.deepEqual(await response.json(), {
            form,
            queue: `${emulator.aws}/queue/us-east-1/000000000000/jobs-dev`,
          });
        } finally {
          await emulator.stop();
        }
      });
    });
  }
});
