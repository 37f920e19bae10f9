import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import JSZip from 'jszip';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, serverless } from '../helpers/cli';
import { clientConfig, startEmulator } from '../helpers/emulate';

const SERVICE = fixture('package-state');

/** Runs `sls emulate` with `args`, stores an object in the embedded S3, and stops it. */
async function emulateWithAnObject(args: string[]): Promise<void> {
  const emulator = await startEmulator(SERVICE, args);
  const s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: 'package-state-uploads', Key: 'receipts/1.txt', Body: 'local only' }),
    );
  } finally {
    s3.destroy();
    assert.equal(await emulator.stop(), 0);
  }
}

async function zipEntries(file: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  return Object.keys(zip.files);
}

describe('sls package: the state folder never ships', function () {
  this.timeout(120_000);
  const artifacts = mkdtempSync(path.join(tmpdir(), 'emulate-package-'));
  const cleanup = () => {
    rmSync(path.join(SERVICE, '.emulate'), { recursive: true, force: true });
    rmSync(path.join(SERVICE, 'nested'), { recursive: true, force: true });
  };

  before(cleanup);
  after(() => {
    cleanup();
    rmSync(artifacts, { recursive: true, force: true });
  });

  const packageInto = async (name: string, args: string[] = []) => {
    const out = path.join(artifacts, name);
    const result = await serverless(SERVICE, ['package', '--package', out, ...args]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    return {
      service: await zipEntries(path.join(out, 'package-state.zip')),
      individually: await zipEntries(path.join(out, 'individually.zip')),
    };
  };

  it('leaves .emulate out of the service and function zips, though package.patterns include it', async () => {
    await emulateWithAnObject([]);
    assert.ok(existsSync(path.join(SERVICE, '.emulate', 'state.sqlite')));

    const zips = await packageInto('default');
    for (const entries of [zips.service, zips.individually]) {
      assert.ok(entries.includes('handler.js'), entries.join(', '));
      assert.deepEqual(
        entries.filter((entry) => entry.startsWith('.emulate')),
        [],
      );
    }
  });

  it('leaves a --state-dir inside the service out too', async () => {
    await emulateWithAnObject(['--state-dir', 'nested/state']);
    const objects = path.join(SERVICE, 'nested', 'state', 's3');
    assert.ok(existsSync(objects), 'the object is on disk under the state folder');

    const zips = await packageInto('state-dir', ['--state-dir', 'nested/state']);
    for (const entries of [zips.service, zips.individually]) {
      assert.ok(entries.includes('handler.js'), entries.join(', '));
      assert.deepEqual(
        entries.filter((entry) => entry.startsWith('nested/state') || entry.startsWith('.emulate')),
        [],
      );
    }
  });
});
