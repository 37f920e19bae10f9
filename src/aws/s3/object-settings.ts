import type { AwsResponse } from '../endpoint';
import { aclFromRequest, aclResponse, defaultAcl } from './acl';
import type { S3Call, S3Context } from './context';
import { noSuchKey } from './errors';
import { MAX_OBJECT_TAGS, taggingResponse, tagsFromBody } from './tagging';
import type { ObjectRecord } from './store';
import { namedVersion } from './versioning';

/** An object's tagging (Get/Put/DeleteObjectTagging) and ACL (Get/PutObjectAcl). */
export class ObjectSettings {
  constructor(private readonly s3: S3Context) {}

  tagging(call: S3Call): AwsResponse {
    const record = this.object(call);
    switch (call.request.method) {
      case 'PUT':
        this.s3.store.updateMetadata({ ...record, tags: tagsFromBody(call.request.body, MAX_OBJECT_TAGS) });
        return { status: 200 };
      case 'DELETE':
        this.s3.store.updateMetadata({ ...record, tags: undefined });
        return { status: 204 };
      default:
        return taggingResponse(record.tags ?? []);
    }
  }

  acl(call: S3Call): AwsResponse {
    const record = this.object(call);
    const owner = this.s3.owner().ID;
    if (call.request.method === 'PUT') {
      this.s3.store.updateMetadata({ ...record, acl: aclFromRequest(call.request, owner) });
      return { status: 200 };
    }
    return aclResponse(owner, record.acl ?? defaultAcl(owner));
  }

  /** The current object, or the version `versionId` names (not a delete marker: 405). */
  private object(call: S3Call): ObjectRecord {
    this.s3.bucket(call.bucket);
    const record = namedVersion(this.s3, call) ?? this.s3.store.object(call.bucket, call.key);
    if (!record) throw noSuchKey(call.key);
    return record;
  }
}
