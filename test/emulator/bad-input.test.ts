import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import { EXAMPLE_SERVICE, fixture, serverless } from '../helpers/cli';

const noStackTrace = (output: string) => assert.doesNotMatch(output, /\n\s+at .+\.js:\d+/);

describe('sls emulate: bad input stops it with a clear error', function () {
  this.timeout(60_000);

  it('names the function and the file when a handler file does not exist', async () => {
    const result = await serverless(fixture('emulate-missing-handler'), ['emulate', '--aws-port', '0']);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout + result.stderr,
      /Function "ghost": handler file src\/nowhere\{\.js,.*\} not found/,
    );
    noStackTrace(result.stdout + result.stderr);
  });

  it('names the function and the runtime when the runtime is not supported', async () => {
    const result = await serverless(fixture('emulate-unsupported-runtime'), ['emulate', '--aws-port', '0']);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout + result.stderr,
      /Function "legacy": runtime java17 is not supported by sls emulate/,
    );
    noStackTrace(result.stdout + result.stderr);
  });

  describe('with a port already in use', () => {
    let blocker: Server;
    let port: number;
    before(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('names the port and the option to change', async () => {
      const result = await serverless(EXAMPLE_SERVICE, ['emulate', '--aws-port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout + result.stderr,
        new RegExp(`Port ${port} on 127.0.0.1 is already in use: choose another with --aws-port`),
      );
      noStackTrace(result.stdout + result.stderr);
    });
  });

  it('rejects a port that is not a number', async () => {
    const result = await serverless(EXAMPLE_SERVICE, ['emulate', '--port', 'abc']);
    assert.equal(result.code, 1);
    assert.match(result.stdout + result.stderr, /--port must be a whole number from 0 to 65535, got "abc"/);
  });
});
