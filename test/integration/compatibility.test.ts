import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/report/build';
import { fixture, serverless } from '../helpers/cli';
import { startEmulator } from '../helpers/emulate';

const json = async (cwd: string, ...args: string[]) => {
  const result = await serverless(cwd, ['invocation-report', '--format', 'json', ...args]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
};

describe('real projects: other plugins and other providers (serverless@3 CLI)', function () {
  this.timeout(60_000);

  describe('serverless-lift (serverless/examples aws-node-sqs-worker)', () => {
    const dir = fixture('lift-queue');
    let report: Report;
    before(async () => {
      // --fail-on error: a false SOURCE_NOT_FOUND would fail CI.
      ({ report } = await json(dir, '--fail-on', 'error'));
    });

    it("reads the queue construct's queue and DLQ for the worker lift adds", () => {
      const worker = report.functions.find((fn) => fn.name === 'jobsWorker');
      assert.equal(worker?.events[0].resource, 'queue lift-queue-dev-jobs');
      assert.deepEqual(worker?.events[0].retry, {
        owner: 'queue',
        visibilityTimeout: 3,
        maxReceiveCount: 1,
        deadLetterQueue: 'lift-queue-dev-jobs-dlq',
        reportBatchItemFailures: true,
        summary:
          'batch reappears after 3 s, to lift-queue-dev-jobs-dlq after 1 receive, partial batch failures',
      });
      // No SOURCE_NOT_FOUND (nor any other error) for the construct's queue.
      assert.deepEqual(
        report.findings.filter((f) => f.level === 'error'),
        [],
      );
    });

    it('packages nothing', () => {
      assert.equal(existsSync(path.join(dir, '.serverless')), false, 'no .serverless folder, no artifact');
    });
  });

  describe('local plugins that compile resources into the stack', () => {
    const dir = fixture('plugin-resources');
    let report: Report;
    let stderr: string;
    before(async () => {
      ({ report, stderr } = await json(dir));
    });

    it('sees the queue a plugin writes into the compiled template', () => {
      const auditor = report.functions.find((fn) => fn.name === 'auditor');
      assert.equal(auditor?.events[0].resource, 'queue plugin-resources-audit');
      assert.match(auditor?.events[0].retry.summary ?? '', /^batch reappears after 60 s/);
      assert.equal(
        report.findings.some((f) => f.code === 'SOURCE_NOT_FOUND'),
        false,
      );
    });

    it('warns, naming the plugin, when a hook fails without the packaged stack', () => {
      assert.match(
        stderr,
        /\.\/plugins\/alarms\.js: its after:package:compileFunctions hook failed without packaging \(Cannot read properties of undefined/,
      );
    });

    it("runs none of the framework's packaging", () => {
      assert.equal(
        existsSync(path.join(dir, 'packaged.txt')),
        false,
        'before:package:createDeploymentArtifacts ran',
      );
      assert.equal(existsSync(path.join(dir, '.serverless')), false);
    });
  });

  describe('a service of another provider', () => {
    const dir = fixture('non-aws');
    const message =
      /provider "google" is not supported: serverless-emulate reports on and emulates AWS services only/;

    it('is one clear error for sls invocation-report', async () => {
      const result = await serverless(dir, ['invocation-report']);
      assert.equal(result.code, 1);
      assert.match(result.stdout + result.stderr, message);
      assert.doesNotMatch(result.stdout + result.stderr, /events\.0\.http/);
    });

    it('is the same error for sls emulate, before any port is opened', async () => {
      await assert.rejects(
        startEmulator(dir),
        (error: Error) => message.test(error.message) && !/events\.0\.http/.test(error.message),
      );
    });
  });
});
