import {
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { recorded } from '../helpers/records';

describe('sls emulate: a versioned bucket notifies its delete markers', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-s3-versioning-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const { waitFor } = recorded(recordFile);
  let emulator: EmulatorUnderTest;
  let s3: S3Client;

  before(async () => {
    emulator = await emulateInProcess(fixture('s3-versioning'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: recordFile,
      },
    });
    s3 = new S3Client({ ...clientConfig(emulator.aws), forcePathStyle: true });
  });
  after(async () => {
    s3?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the s3:ObjectRemoved:* function with ObjectRemoved:DeleteMarkerCreated and the marker version', async () => {
    const Bucket = 's3versioning-docs';
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'report.txt', Body: 'v1' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'report.txt' }));
    assert.equal(marker.DeleteMarker, true);
    const created = await waitFor(
      (r) =>
        r.fn === 's3versioning-dev-onRemoved' &&
        r.event.Records[0].eventName === 'ObjectRemoved:DeleteMarkerCreated',
    );
    const record = created.event.Records[0];
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.s3.bucket.name, Bucket);
    assert.equal(record.s3.object.key, 'report.txt');
    assert.equal(record.s3.object.versionId, marker.VersionId);

    // Removing a version for good is ObjectRemoved:Delete, with that version's id.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'report.txt', VersionId: put.VersionId }));
    const removed = await waitFor(
      (r) => r.fn === 's3versioning-dev-onRemoved' && r.event.Records[0].eventName === 'ObjectRemoved:Delete',
    );
    assert.equal(removed.event.Records[0].s3.object.versionId, put.VersionId);
  });
});
