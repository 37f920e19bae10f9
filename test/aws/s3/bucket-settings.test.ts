import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { rejection, startS3, type S3Harness } from './helpers';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('S3 bucket settings and ACLs', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['site'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  it('stores a bucket policy (MalformedPolicy when not JSON, NoSuchBucketPolicy when none)', async () => {
    assert.equal(
      (await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'site' })))).name,
      'NoSuchBucketPolicy',
    );
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' },
      ],
    });
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: 'site', Policy: policy }));
    assert.equal(put.$metadata.httpStatusCode, 204);
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: 'site' }))).Policy, policy);
    const malformed = await rejection(
      s3.send(new PutBucketPolicyCommand({ Bucket: 'site', Policy: 'not json' })),
    );
    assert.equal(malformed.name, 'MalformedPolicy');
    assert.equal(malformed.status, 400);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'site' }));
    assert.equal(
      (await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'site' })))).name,
      'NoSuchBucketPolicy',
    );
    const noBucket = await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'nope' })));
    assert.equal(noBucket.name, 'NoSuchBucket');
  });

  it('stores a lifecycle configuration (NoSuchLifecycleConfiguration when none)', async () => {
    const none = await rejection(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'site' })));
    assert.equal(none.name, 'NoSuchLifecycleConfiguration');
    assert.equal(none.status, 404);
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'site',
        LifecycleConfiguration: {
          Rules: [
            { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } },
          ],
        },
      }),
    );
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'site' }));
    assert.deepEqual(
      got.Rules?.map((r) => [r.ID, r.Status, r.Filter?.Prefix, r.Expiration?.Days]),
      [['expire-tmp', 'Enabled', 'tmp/', 7]],
    );
    const wrong = await rejection(
      s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: 'site',
          LifecycleConfiguration: {
            Rules: [{ ID: 'x', Status: 'On' as 'Enabled', Expiration: { Days: 1 } }],
          },
        }),
      ),
    );
    assert.equal(wrong.name, 'MalformedXML');
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: 'site' }));
    assert.equal(
      (await rejection(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'site' })))).name,
      'NoSuchLifecycleConfiguration',
    );
  });

  it('answers SSE-S3 as the default encryption, stores another, and restores the default on delete', async () => {
    const algorithm = async () =>
      (await s3.send(new GetBucketEncryptionCommand({ Bucket: 'site' }))).ServerSideEncryptionConfiguration
        ?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    assert.deepEqual(await algorithm(), { SSEAlgorithm: 'AES256' });
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'site',
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/app' } },
          ],
        },
      }),
    );
    assert.deepEqual(await algorithm(), { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/app' });
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: 'site' }));
    assert.deepEqual(await algorithm(), { SSEAlgorithm: 'AES256' });
  });

  it('answers the 2023 defaults for ownership controls and public access block, then what is put, then 404 after delete', async () => {
    const ownership = async () =>
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'site' }))).OwnershipControls?.Rules?.[0]
        ?.ObjectOwnership;
    assert.equal(await ownership(), 'BucketOwnerEnforced');
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: 'site',
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      }),
    );
    assert.equal(await ownership(), 'ObjectWriter');
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: 'site' }));
    const gone = await rejection(ownership());
    assert.equal(gone.name, 'OwnershipControlsNotFoundError');
    assert.equal(gone.status, 404);

    const block = async () =>
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'site' }))).PublicAccessBlockConfiguration;
    assert.deepEqual(await block(), {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'site',
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: false },
      }),
    );
    assert.deepEqual(await block(), { BlockPublicAcls: false, BlockPublicPolicy: false });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'site' }));
    assert.equal((await rejection(block())).name, 'NoSuchPublicAccessBlockConfiguration');
  });

  it("answers the owner's FULL_CONTROL, stores canned ACLs and grants of buckets and objects", async () => {
    const grants = (acl: {
      Grants?: Array<{ Grantee?: { Type?: string; ID?: string; URI?: string }; Permission?: string }>;
    }) => acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]);
    const bucketAcl = await s3.send(new GetBucketAclCommand({ Bucket: 'site' }));
    const owner = bucketAcl.Owner?.ID;
    assert.match(owner ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(grants(bucketAcl), [['CanonicalUser', owner, 'FULL_CONTROL']]);
    await s3.send(new PutBucketAclCommand({ Bucket: 'site', ACL: 'public-read' }));
    assert.deepEqual(grants(await s3.send(new GetBucketAclCommand({ Bucket: 'site' }))), [
      ['CanonicalUser', owner, 'FULL_CONTROL'],
      ['Group', ALL_USERS, 'READ'],
    ]);
    await s3.send(
      new CreateBucketCommand({ Bucket: 'logs', ACL: 'authenticated-read', ObjectOwnership: 'ObjectWriter' }),
    );
    assert.deepEqual(grants(await s3.send(new GetBucketAclCommand({ Bucket: 'logs' }))), [
      ['CanonicalUser', owner, 'FULL_CONTROL'],
      ['Group', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'READ'],
    ]);
    const logsOwnership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'logs' }));
    assert.equal(logsOwnership.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'ObjectWriter');

    await s3.send(
      new PutObjectCommand({ Bucket: 'site', Key: 'index.html', Body: '<p>', ACL: 'public-read' }),
    );
    assert.deepEqual(grants(await s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'index.html' }))), [
      ['CanonicalUser', owner, 'FULL_CONTROL'],
      ['Group', ALL_USERS, 'READ'],
    ]);
    await s3.send(
      new PutObjectAclCommand({
        Bucket: 'site',
        Key: 'index.html',
        AccessControlPolicy: {
          Owner: { ID: owner },
          Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'other-id' }, Permission: 'READ' }],
        },
      }),
    );
    assert.deepEqual(grants(await s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'index.html' }))), [
      ['CanonicalUser', 'other-id', 'READ'],
    ]);
    await s3.send(
      new PutObjectAclCommand({ Bucket: 'site', Key: 'index.html', GrantRead: `uri="${ALL_USERS}"` }),
    );
    assert.deepEqual(grants(await s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'index.html' }))), [
      ['Group', ALL_USERS, 'READ'],
    ]);
    const both = await rejection(
      s3.send(
        new PutObjectAclCommand({ Bucket: 'site', Key: 'index.html', ACL: 'private', GrantRead: 'id="x"' }),
      ),
    );
    assert.equal(both.name, 'InvalidRequest');
    const unknown = await rejection(s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'nope' })));
    assert.equal(unknown.name, 'NoSuchKey');
  });
});
