import { strict as assert } from 'node:assert';
import { resolveService } from '../../src/testing/resolve';
import { fixture } from '../helpers/cli';

describe('serverless-emulate/testing: the resolved configuration is kept by what it depends on', function () {
  this.timeout(60_000);
  const dir = fixture('async');
  const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });

  it('is the same for an environment that differs only in variables the configuration does not name', async () => {
    const first = await resolveService(dir, { env: env({ RECORD_FILE: '/tmp/a.jsonl', UNNAMED: '1' }) });
    const again = await resolveService(dir, { env: env({ RECORD_FILE: '/tmp/a.jsonl', UNNAMED: '2' }) });
    assert.equal(again, first);
    const functions = first.raw.functions as Record<string, { environment?: unknown }>;
    assert.equal(
      first.raw.provider.environment &&
        (first.raw.provider.environment as Record<string, string>).RECORD_FILE,
      '/tmp/a.jsonl',
    );
    assert.ok(functions.flaky);
  });

  it('is resolved again when a variable the configuration names (${env:RECORD_FILE}) changes', async () => {
    const other = await resolveService(dir, { env: env({ RECORD_FILE: '/tmp/b.jsonl' }) });
    assert.equal((other.raw.provider.environment as Record<string, string>).RECORD_FILE, '/tmp/b.jsonl');
  });
});
