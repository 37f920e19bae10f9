import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import { openStateDatabase } from '../../../src/state/database';
import { awsCli, boto3, rejection, startS3, type S3Harness } from './helpers';

const enable = (s3: S3Client, Bucket: string, Status: 'Enabled' | 'Suspended' = 'Enabled') =>
  s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

const body = async (s3: S3Client, Key: string, VersionId?: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: 'docs', Key, VersionId }))).Body?.transformToString();

/** Versions and delete markers as `key version latest [marker]`, in the order S3 lists them per kind. */
function summary(out: ListObjectVersionsCommandOutput): { versions: string[]; markers: string[] } {
  return {
    versions: (out.Versions ?? []).map((v) => `${v.Key} ${v.VersionId} ${v.IsLatest}`),
    markers: (out.DeleteMarkers ?? []).map((m) => `${m.Key} ${m.VersionId} ${m.IsLatest}`),
  };
}

describe('S3 versioning', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({
      buckets: ['docs', 'plain'],
      notifications: [
        {
          bucket: 'docs',
          event: 's3:ObjectCreated:*',
          functionArn: 'fn-created',
          configurationId: 'created',
        },
        {
          bucket: 'docs',
          event: 's3:ObjectRemoved:*',
          functionArn: 'fn-removed',
          configurationId: 'removed',
        },
      ],
    });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  const records = (functionArn: string): S3EventRecord[] =>
    s3h.deliveries.filter((d) => d.functionArn === functionArn).map((d) => d.payload.Records[0]);

  it('PutBucketVersioning and GetBucketVersioning: none, Enabled, Suspended; MfaDelete needs x-amz-mfa', async () => {
    const never = await s3.send(new GetBucketVersioningCommand({ Bucket: 'docs' }));
    assert.equal(never.Status, undefined);
    assert.equal(never.MFADelete, undefined);
    await enable(s3, 'docs');
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'docs' }))).Status, 'Enabled');
    await enable(s3, 'docs', 'Suspended');
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'docs' }))).Status, 'Suspended');
    const mfa = await rejection(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'docs',
          VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
        }),
      ),
    );
    assert.equal(mfa.name, 'AccessDenied');
    assert.equal(mfa.status, 403);
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'docs',
        MFA: '123456 654321',
        VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' },
      }),
    );
    const both = await s3.send(new GetBucketVersioningCommand({ Bucket: 'docs' }));
    assert.equal(both.Status, 'Enabled');
    assert.equal(both.MFADelete, 'Enabled');
    const bad = await rejection(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket: 'docs',
          VersioningConfiguration: { Status: 'On' as 'Enabled' },
        }),
      ),
    );
    assert.equal(bad.name, 'MalformedXML');
    assert.equal((await rejection(enable(s3, 'missing'))).name, 'NoSuchBucket');
  });

  it('keeps every version of a key: VersionId on Put, Get and Head by versionId, NoSuchVersion', async () => {
    const unversioned = await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'a', Body: '1' }));
    assert.equal(unversioned.VersionId, undefined);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'plain', Key: 'a' }))).VersionId, undefined);

    await enable(s3, 'docs');
    const first = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'a.txt', Body: 'one' }));
    const second = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'a.txt', Body: 'two' }));
    assert.match(String(first.VersionId), /^[A-Za-z0-9_-]{32}$/);
    assert.match(String(second.VersionId), /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(first.VersionId, second.VersionId);
    assert.equal(await body(s3, 'a.txt'), 'two');
    assert.equal(await body(s3, 'a.txt', first.VersionId), 'one');
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'docs', Key: 'a.txt', VersionId: first.VersionId }),
    );
    assert.equal(got.VersionId, first.VersionId);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'docs', Key: 'a.txt', VersionId: first.VersionId }),
    );
    assert.equal(head.VersionId, first.VersionId);
    assert.equal(head.ContentLength, 3);
    assert.equal(
      (await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'a.txt' }))).VersionId,
      second.VersionId,
    );

    const missing = await rejection(
      s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'a.txt', VersionId: 'A'.repeat(32) })),
    );
    assert.equal(missing.name, 'NoSuchVersion');
    assert.equal(missing.status, 404);
    const invalid = await rejection(
      s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'a.txt', VersionId: 'a b' })),
    );
    assert.equal(invalid.name, 'InvalidArgument');

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.deepEqual(summary(listed), {
      versions: [`a.txt ${second.VersionId} true`, `a.txt ${first.VersionId} false`],
      markers: [],
    });
    assert.equal(listed.Versions?.[1].Size, 3);
    assert.equal(listed.Versions?.[1].ETag, '"f97c5d29941bfb1b2fdab0874906ab82"');

    const created = records('fn-created');
    assert.deepEqual(
      created.map((r) => [r.eventName, r.s3.object.versionId]),
      [
        ['ObjectCreated:Put', first.VersionId],
        ['ObjectCreated:Put', second.VersionId],
      ],
    );
  });

  it('DeleteObject makes a delete marker: 404 with x-amz-delete-marker, 405 by its id, gone from listings', async () => {
    await enable(s3, 'docs');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'k', Body: 'kept' }));
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'other', Body: 'o' }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'k' }));
    assert.equal(deleted.DeleteMarker, true);
    assert.match(String(deleted.VersionId), /^[A-Za-z0-9_-]{32}$/);

    const raw = await fetch(`${s3h.url}/docs/k`);
    assert.equal(raw.status, 404);
    assert.equal(raw.headers.get('x-amz-delete-marker'), 'true');
    assert.equal(raw.headers.get('x-amz-version-id'), deleted.VersionId);
    assert.match(await raw.text(), /<Code>NoSuchKey<\/Code>/);
    const gone = await rejection(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'k' })));
    assert.equal(gone.name, 'NoSuchKey');

    const byId = await fetch(`${s3h.url}/docs/k?versionId=${deleted.VersionId}`);
    assert.equal(byId.status, 405);
    assert.equal(byId.headers.get('x-amz-delete-marker'), 'true');
    assert.ok(byId.headers.get('last-modified'));
    assert.match(await byId.text(), /<Code>MethodNotAllowed<\/Code>/);
    const head = await rejection(
      s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'k', VersionId: deleted.VersionId })),
    );
    assert.equal(head.status, 405);

    assert.equal(await body(s3, 'k', put.VersionId), 'kept');
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: 'docs' }));
    assert.deepEqual(
      v2.Contents?.map((c) => c.Key),
      ['other'],
    );
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'docs' }));
    assert.deepEqual(
      v1.Contents?.map((c) => c.Key),
      ['other'],
    );
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.deepEqual(summary(versions), {
      versions: [`k ${put.VersionId} false`, `other ${versions.Versions?.[1].VersionId} true`],
      markers: [`k ${deleted.VersionId} true`],
    });
    assert.ok(versions.DeleteMarkers?.[0].Owner?.ID);
    assert.equal(versions.DeleteMarkers?.[0].LastModified instanceof Date, true);

    // Removing the marker for good brings the object back.
    const unmarked = await s3.send(
      new DeleteObjectCommand({ Bucket: 'docs', Key: 'k', VersionId: deleted.VersionId }),
    );
    assert.equal(unmarked.DeleteMarker, true);
    assert.equal(unmarked.VersionId, deleted.VersionId);
    assert.equal(await body(s3, 'k'), 'kept');
    // Removing the last version empties the key; a bucket with versions is not empty.
    await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'k' }));
    assert.equal(
      (await rejection(s3.send(new DeleteBucketCommand({ Bucket: 'docs' })))).name,
      'BucketNotEmpty',
    );

    const removed = records('fn-removed');
    assert.deepEqual(
      removed.map((r) => [r.eventName, r.s3.object.versionId]),
      [
        ['ObjectRemoved:DeleteMarkerCreated', deleted.VersionId],
        ['ObjectRemoved:Delete', deleted.VersionId],
        ['ObjectRemoved:DeleteMarkerCreated', removed[2].s3.object.versionId],
      ],
    );
    assert.equal('size' in removed[0].s3.object, false);
    assert.equal('eTag' in removed[0].s3.object, false);
    assert.ok(removed[0].s3.object.sequencer);
  });

  it('Suspended: writes the null version, replacing it, and keeps the versions made while Enabled', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'n', Body: 'before' }));
    await enable(s3, 'docs');
    const enabled = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'n', Body: 'enabled' }));
    assert.equal(await body(s3, 'n', 'null'), 'before');
    await enable(s3, 'docs', 'Suspended');
    const first = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'n', Body: 'suspended 1' }));
    assert.equal(first.VersionId, 'null');
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'n', Body: 'suspended 2' }));
    assert.equal(await body(s3, 'n'), 'suspended 2');
    assert.equal(await body(s3, 'n', 'null'), 'suspended 2');
    assert.equal(await body(s3, 'n', enabled.VersionId), 'enabled');
    let listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.deepEqual(summary(listed).versions, [`n null true`, `n ${enabled.VersionId} false`]);

    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'n' }));
    assert.equal(marker.DeleteMarker, true);
    assert.equal(marker.VersionId, 'null');
    listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.deepEqual(summary(listed), {
      versions: [`n ${enabled.VersionId} false`],
      markers: ['n null true'],
    });
    // The null marker has no version id to report in the event.
    const last = records('fn-removed').at(-1);
    assert.equal(last?.eventName, 'ObjectRemoved:DeleteMarkerCreated');
    assert.equal(last?.s3.object.versionId, undefined);
  });

  it('ListObjectVersions pages by KeyMarker and VersionIdMarker, with Prefix, Delimiter and MaxKeys', async () => {
    await enable(s3, 'docs');
    const ids: Record<string, string[]> = {};
    for (const key of ['a', 'b', 'b', 'b', 'c/1', 'c/2', 'd']) {
      const put = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: key, Body: key }));
      (ids[key] ??= []).unshift(String(put.VersionId));
    }
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'a' }));
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await s3.send(
        new ListObjectVersionsCommand({ Bucket: 'docs', MaxKeys: 2, KeyMarker, VersionIdMarker }),
      );
      assert.equal(out.MaxKeys, 2);
      const entries = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])];
      assert.ok(entries.length <= 2);
      seen.push(...entries.map((e) => `${e.Key} ${e.VersionId}`));
      if (!out.IsTruncated) break;
      KeyMarker = out.NextKeyMarker;
      VersionIdMarker = out.NextVersionIdMarker;
    }
    assert.deepEqual(
      seen.sort(),
      [
        `a ${ids.a[0]}`,
        `a ${marker.VersionId}`,
        ...ids.b.map((id) => `b ${id}`),
        `c/1 ${ids['c/1'][0]}`,
        `c/2 ${ids['c/2'][0]}`,
        `d ${ids.d[0]}`,
      ].sort(),
    );

    const firstB = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs', Prefix: 'b', MaxKeys: 1 }));
    assert.deepEqual(summary(firstB).versions, [`b ${ids.b[0]} true`]);
    assert.equal(firstB.IsTruncated, true);
    assert.equal(firstB.NextKeyMarker, 'b');
    assert.equal(firstB.NextVersionIdMarker, ids.b[0]);
    const restB = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: 'docs',
        Prefix: 'b',
        KeyMarker: 'b',
        VersionIdMarker: ids.b[0],
      }),
    );
    assert.deepEqual(summary(restB).versions, [`b ${ids.b[1]} false`, `b ${ids.b[2]} false`]);
    const afterB = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs', KeyMarker: 'b' }));
    assert.deepEqual(
      afterB.Versions?.map((v) => v.Key),
      ['c/1', 'c/2', 'd'],
    );

    const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs', Delimiter: '/' }));
    assert.deepEqual(
      rolled.CommonPrefixes?.map((p) => p.Prefix),
      ['c/'],
    );
    assert.deepEqual([...new Set(rolled.Versions?.map((v) => v.Key))], ['a', 'b', 'd']);
    const noKeyMarker = await rejection(
      s3.send(new ListObjectVersionsCommand({ Bucket: 'docs', VersionIdMarker: ids.b[0] })),
    );
    assert.equal(noKeyMarker.name, 'InvalidArgument');
  });

  it('DeleteObjects: delete markers without VersionId, versions removed for good with one', async () => {
    await enable(s3, 'docs');
    const x1 = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'x', Body: '1' }));
    const x2 = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'x', Body: '2' }));
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'y', Body: 'y' }));
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'docs',
        Delete: {
          Objects: [{ Key: 'x', VersionId: x2.VersionId }, { Key: 'y' }, { Key: 'z', VersionId: 'bad id' }],
        },
      }),
    );
    assert.deepEqual(out.Deleted?.[0], { Key: 'x', VersionId: x2.VersionId });
    assert.equal(out.Deleted?.[1].Key, 'y');
    assert.equal(out.Deleted?.[1].DeleteMarker, true);
    assert.match(String(out.Deleted?.[1].DeleteMarkerVersionId), /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(
      out.Errors?.map((e) => [e.Key, e.Code]),
      [['z', 'NoSuchVersion']],
    );
    assert.equal(await body(s3, 'x'), '1');
    assert.equal(
      (await s3.send(new HeadObjectCommand({ Bucket: 'docs', Key: 'x' }))).VersionId,
      x1.VersionId,
    );
    assert.equal(
      (await rejection(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'y' })))).name,
      'NoSuchKey',
    );
    const unmark = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'docs',
        Delete: { Objects: [{ Key: 'y', VersionId: out.Deleted?.[1].DeleteMarkerVersionId }] },
      }),
    );
    assert.equal(unmark.Deleted?.[0].DeleteMarker, true);
    assert.equal(unmark.Deleted?.[0].DeleteMarkerVersionId, out.Deleted?.[1].DeleteMarkerVersionId);
    assert.equal(await body(s3, 'y'), 'y');
  });

  it('CopyObject and multipart uploads make versions; a copy source may name one (x-amz-copy-source-version-id)', async () => {
    await enable(s3, 'docs');
    const old = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'src', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'src', Body: 'new' }));
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: 'docs',
        Key: 'dst',
        CopySource: `docs/src?versionId=${old.VersionId}`,
      }),
    );
    assert.equal(copied.CopySourceVersionId, old.VersionId);
    assert.match(String(copied.VersionId), /^[A-Za-z0-9_-]{32}$/);
    assert.equal(await body(s3, 'dst'), 'old');
    const latest = await s3.send(
      new CopyObjectCommand({ Bucket: 'plain', Key: 'dst', CopySource: 'docs/src' }),
    );
    assert.notEqual(latest.CopySourceVersionId, undefined);
    assert.equal(latest.VersionId, undefined);

    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'src' }));
    const ofMarker = await rejection(
      s3.send(
        new CopyObjectCommand({
          Bucket: 'docs',
          Key: 'x',
          CopySource: `docs/src?versionId=${marker.VersionId}`,
        }),
      ),
    );
    assert.equal(ofMarker.name, 'InvalidRequest');
    const ofDeleted = await rejection(
      s3.send(new CopyObjectCommand({ Bucket: 'docs', Key: 'x', CopySource: 'docs/src' })),
    );
    assert.equal(ofDeleted.name, 'NoSuchKey');
    const missing = await rejection(
      s3.send(
        new CopyObjectCommand({
          Bucket: 'docs',
          Key: 'x',
          CopySource: `docs/src?versionId=${'B'.repeat(32)}`,
        }),
      ),
    );
    assert.equal(missing.name, 'NoSuchVersion');

    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'docs', Key: 'mp' }));
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: 'docs',
        Key: 'mp',
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: 'part',
      }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'docs',
        Key: 'mp',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    assert.match(String(done.VersionId), /^[A-Za-z0-9_-]{32}$/);
    const events = records('fn-created').filter((r) => r.eventName !== 'ObjectCreated:Put');
    assert.deepEqual(
      events.map((r) => [r.eventName, r.s3.object.key, r.s3.object.versionId]),
      [
        ['ObjectCreated:Copy', 'dst', copied.VersionId],
        ['ObjectCreated:CompleteMultipartUpload', 'mp', done.VersionId],
      ],
    );
    const tagging = await s3.send(
      new GetObjectTaggingCommand({ Bucket: 'docs', Key: 'src', VersionId: old.VersionId }),
    );
    assert.deepEqual(tagging.TagSet, []);
  });

  it('keeps versions and delete markers across a restart', async () => {
    await enable(s3, 'docs');
    const a = await s3.send(
      new PutObjectCommand({ Bucket: 'docs', Key: 'big', Body: Buffer.alloc(100_000, 1) }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'big', Body: 'small' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'big' }));
    s3.destroy();
    await s3h.stop();
    const before = s3h;
    s3h = await startS3({ stateDir: before.stateDir });
    s3 = s3h.client();
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'docs' }))).Status, 'Enabled');
    assert.equal(
      (await rejection(s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'big' })))).name,
      'NoSuchKey',
    );
    const old = await s3.send(new GetObjectCommand({ Bucket: 'docs', Key: 'big', VersionId: a.VersionId }));
    assert.equal((await old.Body?.transformToByteArray())?.length, 100_000);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.equal(listed.Versions?.length, 2);
    assert.deepEqual(
      listed.DeleteMarkers?.map((m) => m.VersionId),
      [marker.VersionId],
    );
    const next = await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'big', Body: 'after' }));
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: 'docs' }));
    assert.equal(after.Versions?.[0].VersionId, next.VersionId);
    assert.equal(after.Versions?.[0].IsLatest, true);
  });

  it('migrates a state file written before versioning: its objects are the null version', async () => {
    s3.destroy();
    await s3h.dispose();
    const fresh = await startS3();
    const stateDir = fresh.stateDir;
    await fresh.stop();
    // The tables as the first state files had them.
    const db = openStateDatabase(stateDir, { reset: false });
    db.exec(`DROP TABLE IF EXISTS s3_objects; DROP TABLE IF EXISTS s3_buckets; DROP TABLE IF EXISTS s3_versions;
      CREATE TABLE s3_buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created TEXT NOT NULL);
      CREATE TABLE s3_objects (
        bucket TEXT NOT NULL, key TEXT NOT NULL, file TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
        last_modified TEXT NOT NULL, content_type TEXT NOT NULL, metadata TEXT NOT NULL,
        storage_class TEXT NOT NULL, checksum_algorithm TEXT, checksum_value TEXT, data BLOB,
        PRIMARY KEY (bucket, key)
      ) WITHOUT ROWID;`);
    db.prepare("INSERT INTO s3_buckets VALUES ('old', 'us-east-1', '2024-01-01T00:00:00.000Z')").run();
    db.prepare(
      `INSERT INTO s3_objects VALUES ('old', 'kept.txt', '', 4, '"8d777f385d3dfec8815d20f7496026dc"',
        '2024-01-01T00:00:00.000Z', 'text/plain', '{"user":{},"headers":{}}', 'STANDARD', NULL, NULL, ?)`,
    ).run(Buffer.from('data'));
    db.close();

    s3h = await startS3({ stateDir });
    s3 = s3h.client();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'old', Key: 'kept.txt' }));
    assert.equal(await got.Body?.transformToString(), 'data');
    assert.equal(got.VersionId, undefined);
    await enable(s3, 'old');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'old', Key: 'kept.txt', Body: 'new' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'old' }));
    assert.deepEqual(summary(listed).versions, [`kept.txt ${put.VersionId} true`, 'kept.txt null false']);
    const nullVersion = await s3.send(
      new GetObjectCommand({ Bucket: 'old', Key: 'kept.txt', VersionId: 'null' }),
    );
    assert.equal(await nullVersion.Body?.transformToString(), 'data');
    assert.ok(path.isAbsolute(stateDir));
  });

  it('aws-sdk v2 and boto3: versions, delete markers and their paginators', async () => {
    const v2 = s3h.v2Client();
    await v2
      .putBucketVersioning({ Bucket: 'docs', VersioningConfiguration: { Status: 'Enabled' } })
      .promise();
    const put = await v2.putObject({ Bucket: 'docs', Key: 'v2.txt', Body: 'v2' }).promise();
    const del = await v2.deleteObject({ Bucket: 'docs', Key: 'v2.txt' }).promise();
    assert.equal(del.DeleteMarker, true);
    const listed = await v2.listObjectVersions({ Bucket: 'docs' }).promise();
    assert.deepEqual(
      listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]),
      [['v2.txt', put.VersionId, false]],
    );
    assert.deepEqual(
      listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]),
      [['v2.txt', del.VersionId, true]],
    );
    const old = await v2.getObject({ Bucket: 'docs', Key: 'v2.txt', VersionId: put.VersionId }).promise();
    assert.equal(String(old.Body), 'v2');

    const out = await boto3(
      s3h,
      [
        "print(s3.get_bucket_versioning(Bucket='docs')['Status'])",
        "ids = [s3.put_object(Bucket='docs', Key='py/%d' % (i % 3), Body=b'x')['VersionId'] for i in range(7)]",
        "d = s3.delete_object(Bucket='docs', Key='py/0')",
        "print(d['DeleteMarker'], d['VersionId'] != 'null')",
        "pages = s3.get_paginator('list_object_versions').paginate(Bucket='docs', Prefix='py/', PaginationConfig={'PageSize': 2})",
        "seen = [(v['VersionId'], v['IsLatest']) for p in pages for v in p.get('Versions', []) + p.get('DeleteMarkers', [])]",
        'print(len(seen), len(set(v for v, _ in seen)), sorted(set(ids)) == sorted(v for v, _ in seen if v != d["VersionId"]))',
        "try:\n  s3.get_object(Bucket='docs', Key='py/0')\nexcept s3.exceptions.NoSuchKey as e:\n  print(e.response['ResponseMetadata']['HTTPHeaders'].get('x-amz-delete-marker'))",
        "try:\n  s3.head_object(Bucket='docs', Key='py/0', VersionId=d['VersionId'])\nexcept Exception as e:\n  print(e.response['Error']['Code'])",
        "r = s3.delete_objects(Bucket='docs', Delete={'Objects': [{'Key': 'py/1', 'VersionId': ids[1]}]})",
        "print(r['Deleted'][0]['VersionId'] == ids[1])",
      ].join('\n'),
    );
    assert.deepEqual(out.trim().split('\n'), ['Enabled', 'True True', '8 8 True', 'true', '405', 'True']);
  });

  it('AWS CLI v1: s3api versioning, aws s3 rm leaves a delete marker, list-object-versions pages with --page-size', async () => {
    const ok = async (args: string[]) => {
      const run = await awsCli(s3h, args);
      assert.equal(run.code, 0, run.stderr);
      return run.stdout;
    };
    await ok([
      's3api',
      'put-bucket-versioning',
      '--bucket',
      'docs',
      '--versioning-configuration',
      'Status=Enabled',
    ]);
    assert.equal(
      JSON.parse(await ok(['s3api', 'get-bucket-versioning', '--bucket', 'docs'])).Status,
      'Enabled',
    );
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const put = JSON.parse(await ok(['s3api', 'put-object', '--bucket', 'docs', '--key', 'cli.txt']));
      ids.unshift(put.VersionId);
    }
    await ok(['s3', 'rm', 's3://docs/cli.txt']);
    const listed = JSON.parse(
      await ok(['s3api', 'list-object-versions', '--bucket', 'docs', '--prefix', 'cli', '--page-size', '1']),
    );
    assert.deepEqual(
      listed.Versions.map((v: { VersionId: string; IsLatest: boolean }) => [v.VersionId, v.IsLatest]),
      ids.map((id) => [id, false]),
    );
    assert.equal(listed.DeleteMarkers.length, 1);
    assert.equal(listed.DeleteMarkers[0].IsLatest, true);
    const head = await awsCli(s3h, ['s3api', 'head-object', '--bucket', 'docs', '--key', 'cli.txt']);
    assert.notEqual(head.code, 0);
    assert.match(head.stderr, /404/);
  });
});
