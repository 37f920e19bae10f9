import type { Db } from '../../state/database';
import type { AwsResponse } from '../endpoint';
import { aclFromHeaders, aclFromRequest, aclResponse, defaultAcl, type Grant } from './acl';
import type { S3Call, S3Context } from './context';
import { invalidArgument, malformedXml, S3Error } from './errors';
import { header } from './headers';
import { firstValue } from './header-values';
import { MAX_BUCKET_TAGS, taggingResponse, tagsFromBody, type Tag } from './tagging';
import { childrenNamed, childText, parseBody, xmlResponse, type XmlElement } from './xml';

/** How one bucket subresource is written, answered, and answered when it is not set. */
interface Setting {
  /** The status Put answers with. */
  putStatus: 200 | 204;
  /** The value Put stores (text), read and checked from the request. */
  read(call: S3Call, owner: string): string;
  answer(value: string, owner: string): AwsResponse;
  /** What Get answers when nothing was put (or after Delete): AWS's default, or its 404. */
  absent(owner: string): AwsResponse | S3Error;
  /** For a setting with a default: what Get answers after Delete (else Delete restores the default). */
  deleted?: () => S3Error;
}

const notFound = (code: string, message: string) => new S3Error(404, code, message);

/** A configuration document kept as it was sent, after `check` found it valid. */
const documentSetting = (
  root: string,
  putStatus: 200 | 204,
  check: (document: XmlElement) => boolean,
  absent: () => AwsResponse | S3Error,
  deleted?: () => S3Error,
): Setting => ({
  putStatus,
  read: (call) => {
    const document = parseBody(call.request.body, root);
    if (!check(document)) throw malformedXml();
    return call.request.body.toString('utf8').trim();
  },
  answer: (value) => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: value }),
  absent,
  deleted,
});

const within = (values: string[]) => (text: string | undefined) =>
  text !== undefined && values.includes(text.trim());

const OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

const rules = (document: XmlElement) => childrenNamed(document, 'Rule');

const SETTINGS: Record<string, Setting> = {
  tagging: {
    putStatus: 204,
    read: (call) => JSON.stringify(tagsFromBody(call.request.body, MAX_BUCKET_TAGS)),
    answer: (value) => taggingResponse(JSON.parse(value) as Tag[]),
    absent: () => notFound('NoSuchTagSet', 'The TagSet does not exist'),
  },
  policy: {
    putStatus: 204,
    read: (call) => checkPolicy(call.request.body.toString('utf8')),
    answer: (value) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: value }),
    absent: () => notFound('NoSuchBucketPolicy', 'The bucket policy does not exist'),
  },
  lifecycle: documentSetting(
    'LifecycleConfiguration',
    200,
    (document) =>
      rules(document).length <= 1000 &&
      rules(document).every((rule) => within(['Enabled', 'Disabled'])(childText(rule, 'Status'))),
    () => notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
  ),
  encryption: documentSetting(
    'ServerSideEncryptionConfiguration',
    200,
    (document) =>
      rules(document).length > 0 &&
      rules(document).every((rule) =>
        childrenNamed(rule, 'ApplyServerSideEncryptionByDefault').every((by) =>
          within(['AES256', 'aws:kms', 'aws:kms:dsse'])(childText(by, 'SSEAlgorithm')),
        ),
      ),
    // Since January 2023 every bucket encrypts with SSE-S3 unless told otherwise.
    () =>
      xmlResponse('ServerSideEncryptionConfiguration', {
        Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
      }),
  ),
  ownershipControls: documentSetting(
    'OwnershipControls',
    200,
    (document) =>
      rules(document).length === 1 && within(OWNERSHIPS)(childText(rules(document)[0], 'ObjectOwnership')),
    // Since April 2023 a new bucket's ACLs are disabled (BucketOwnerEnforced).
    () => ownershipResponse('BucketOwnerEnforced'),
    () => notFound('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'),
  ),
  publicAccessBlock: documentSetting(
    'PublicAccessBlockConfiguration',
    200,
    () => true,
    // Since April 2023 a new bucket blocks all public access.
    () =>
      xmlResponse('PublicAccessBlockConfiguration', {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      }),
    () =>
      notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
  ),
  acl: {
    putStatus: 200,
    read: (call, owner) => JSON.stringify(aclFromRequest(call.request, owner)),
    answer: (value, owner) => aclResponse(owner, JSON.parse(value) as Grant[]),
    absent: (owner) => aclResponse(owner, defaultAcl(owner)),
  },
};

/** The subresources BucketSettings serves (`?tagging`, `?policy`, ...). */
export const BUCKET_SETTINGS = Object.keys(SETTINGS);

function ownershipResponse(ownership: string): AwsResponse {
  return xmlResponse('OwnershipControls', { Rule: { ObjectOwnership: ownership } });
}

/** A bucket policy must be a JSON object with a Statement, as S3 checks before storing it. */
function checkPolicy(text: string): string {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    policy = undefined;
  }
  if (typeof policy !== 'object' || policy === null || !('Statement' in policy)) {
    throw new S3Error(400, 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  }
  return text;
}

/**
 * Bucket configurations that setup and infrastructure code writes and reads back (tagging, policy,
 * lifecycle, encryption, ownership controls, public access block, ACL), in `s3_bucket_settings`:
 * stored and answered as S3 answers them, with S3's defaults for a bucket that has none; their
 * effect (expiry, access control, encryption) is not applied locally.
 */
export class BucketSettings {
  private readonly statements;

  constructor(
    db: Db,
    private readonly s3: S3Context,
  ) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS s3_bucket_settings (
         bucket TEXT NOT NULL, name TEXT NOT NULL, value TEXT, PRIMARY KEY (bucket, name)
       ) WITHOUT ROWID`,
    );
    this.statements = {
      get: db.prepare('SELECT value FROM s3_bucket_settings WHERE bucket = ? AND name = ?'),
      put: db.prepare('INSERT OR REPLACE INTO s3_bucket_settings (bucket, name, value) VALUES (?, ?, ?)'),
      delete: db.prepare('DELETE FROM s3_bucket_settings WHERE bucket = ? AND name = ?'),
      forget: db.prepare('DELETE FROM s3_bucket_settings WHERE bucket = ?'),
    };
  }

  /** Put, Get or Delete of the subresource `name` (one of BUCKET_SETTINGS). */
  handle(call: S3Call, name: string): AwsResponse {
    this.s3.bucket(call.bucket);
    const setting = SETTINGS[name];
    const owner = this.s3.owner().ID;
    switch (call.request.method) {
      case 'PUT':
        this.statements.put.run(call.bucket, name, setting.read(call, owner));
        return { status: setting.putStatus };
      case 'DELETE':
        if (setting.deleted) this.statements.put.run(call.bucket, name, null);
        else this.statements.delete.run(call.bucket, name);
        return { status: 204 };
      default: {
        const row = this.statements.get.get(call.bucket, name) as { value: string | null } | undefined;
        if (row?.value) return setting.answer(row.value, owner);
        const absent = row && setting.deleted ? setting.deleted() : setting.absent(owner);
        if (absent instanceof S3Error) throw absent;
        return absent;
      }
    }
  }

  /** CreateBucket's `x-amz-acl`/`x-amz-grant-*` and `x-amz-object-ownership` headers. */
  created(call: S3Call): void {
    const owner = this.s3.owner().ID;
    const acl = aclFromHeaders((name) => firstValue(call.request.headers[name]), owner);
    if (acl) this.statements.put.run(call.bucket, 'acl', JSON.stringify(acl));
    const ownership = header(call.request, 'x-amz-object-ownership');
    if (ownership !== undefined) {
      if (!within(OWNERSHIPS)(ownership))
        throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
      this.statements.put.run(call.bucket, 'ownershipControls', ownershipResponse(ownership).body as string);
    }
  }

  /** Forgets a deleted bucket's settings. */
  forget(bucket: string): void {
    this.statements.forget.run(bucket);
  }
}
