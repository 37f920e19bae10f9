import { randomBytes } from 'node:crypto';
import type { AwsResponse } from '../endpoint';
import { checksumElements, copiedChecksum, md5 } from './checksums';
import { checkKey, checkPartNumber, type S3Call, type S3Context } from './context';
import { copySourceOf, copySourceRange, copySourceVersionHeaders } from './copy-source';
import { malformedXml, MIN_PART_SIZE, noSuchUpload, S3Error } from './errors';
import { header, metadataFromRequest } from './headers';
import { readPayload } from './payload';
import type { ObjectRecord } from './store';
import type { UploadRecord } from './upload-store';
import { childrenNamed, childText, parseBody, xmlResponse } from './xml';

/**
 * Multipart uploads as `@aws-sdk/lib-storage`, `aws s3 cp` and the v2 SDK's `upload()` drive them:
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts and
 * ListMultipartUploads, and UploadPartCopy. The completed object's ETag is `"<md5 of the parts' binary MD5s>-<parts>"`.
 */
export class Multipart {
  constructor(private readonly s3: S3Context) {}

  create(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    checkKey(call.key);
    const uploadId = randomBytes(48).toString('base64url');
    this.s3.uploads.create({
      uploadId,
      bucket: call.bucket,
      key: call.key,
      initiated: this.s3.now().toISOString(),
      ...metadataFromRequest(call.request, this.s3.owner().ID),
    });
    const algorithm = header(call.request, 'x-amz-checksum-algorithm');
    const response = xmlResponse('InitiateMultipartUploadResult', {
      Bucket: call.bucket,
      Key: call.key,
      UploadId: uploadId,
    });
    if (algorithm) response.headers = { ...response.headers, 'x-amz-checksum-algorithm': algorithm };
    return response;
  }

  uploadPart(call: S3Call, uploadId: string, partNumberText: string): AwsResponse {
    this.upload(call, uploadId);
    const partNumber = checkPartNumber(partNumberText);
    const payload = readPayload(call.request);
    const etag = this.storePart(uploadId, partNumber, payload.data);
    const headers: Record<string, string> = { etag };
    if (payload.checksum) headers[`x-amz-checksum-${payload.checksum.algorithm}`] = payload.checksum.value;
    return { status: 200, headers };
  }

  /**
   * UploadPartCopy: the part is the `x-amz-copy-source` object, or its `x-amz-copy-source-range`;
   * answered with a CopyPartResult (ETag, LastModified, the part's checksum).
   */
  uploadPartCopy(call: S3Call, uploadId: string, partNumberText: string): AwsResponse {
    this.upload(call, uploadId);
    const partNumber = checkPartNumber(partNumberText);
    const source = copySourceOf(this.s3, call);
    const { start, end } = copySourceRange(call, source);
    const data = this.s3.store.read(source, start, end);
    const etag = this.storePart(uploadId, partNumber, data);
    const response = xmlResponse('CopyPartResult', {
      ETag: etag,
      LastModified: this.s3.lastModifiedNow(),
      ...checksumElements(copiedChecksum(call, {}, data)),
    });
    response.headers = { ...response.headers, ...copySourceVersionHeaders(this.s3, source) };
    return response;
  }

  /** Stores a part's bytes; answers its ETag. */
  private storePart(uploadId: string, partNumber: number, data: Buffer): string {
    const etag = `"${md5(data).toString('hex')}"`;
    this.s3.uploads.putPart(
      uploadId,
      { partNumber, size: data.length, etag, lastModified: this.s3.lastModifiedNow() },
      data,
    );
    return etag;
  }

  /**
   * CompleteMultipartUpload; completing again an upload that made the key's object (a retry) answers
   * that object again, as S3 does.
   */
  async complete(call: S3Call, uploadId: string): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const completed = this.s3.uploads.completed(uploadId);
    if (
      completed?.bucket === call.bucket &&
      completed.key === call.key &&
      this.s3.store.object(call.bucket, call.key)?.etag === completed.etag
    ) {
      return completeResult(call, completed.etag);
    }
    const upload = this.upload(call, uploadId);
    const document = parseBody(readPayload(call.request).data, 'CompleteMultipartUpload');
    const requested = childrenNamed(document, 'Part').map((p) => ({
      partNumber: Number(childText(p, 'PartNumber')),
      etag: (childText(p, 'ETag') ?? '').trim(),
    }));
    if (requested.length === 0 || requested.some((p) => !Number.isInteger(p.partNumber)))
      throw malformedXml();
    const stored = new Map(this.s3.uploads.parts(uploadId).map((p) => [p.partNumber, p]));
    const parts = requested.map((wanted, i) => {
      if (i > 0 && wanted.partNumber <= requested[i - 1].partNumber) {
        throw new S3Error(
          400,
          'InvalidPartOrder',
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
          { UploadId: uploadId },
        );
      }
      const part = stored.get(wanted.partNumber);
      if (!part || part.etag.replace(/"/g, '') !== wanted.etag.replace(/"/g, '')) {
        throw new S3Error(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { UploadId: uploadId, PartNumber: wanted.partNumber, ETag: wanted.etag },
        );
      }
      return part;
    });
    parts.slice(0, -1).forEach((part) => {
      if (part.size < MIN_PART_SIZE) {
        throw new S3Error(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size',
          {
            ProposedSize: part.size,
            MinSizeAllowed: MIN_PART_SIZE,
            PartNumber: part.partNumber,
            ETag: part.etag.replace(/"/g, ''),
          },
        );
      }
    });
    const digests = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
    const record: ObjectRecord = {
      bucket: call.bucket,
      key: call.key,
      size: parts.reduce((sum, p) => sum + p.size, 0),
      etag: `"${md5(digests).toString('hex')}-${parts.length}"`,
      lastModified: this.s3.lastModifiedNow(),
      contentType: upload.contentType,
      userMetadata: upload.userMetadata,
      headers: upload.headers,
      storageClass: upload.storageClass,
      tags: upload.tags,
      acl: upload.acl,
      parts: parts.map((p) => p.size),
      ...this.s3.newVersion(call.bucket),
    };
    this.s3.store.putObject(
      record,
      parts.map((p) => p.file),
    );
    this.s3.uploads.complete(uploadId, { bucket: call.bucket, key: call.key, etag: record.etag });
    await this.s3.happened(call, 'ObjectCreated:CompleteMultipartUpload', call.key, record);
    const response = completeResult(call, record.etag);
    response.headers = { ...response.headers, ...this.s3.versionHeaders(call.bucket, record.versionId) };
    return response;
  }

  abort(call: S3Call, uploadId: string): AwsResponse {
    this.upload(call, uploadId);
    this.s3.uploads.remove(uploadId);
    return { status: 204 };
  }

  listParts(call: S3Call, uploadId: string): AwsResponse {
    const upload = this.upload(call, uploadId);
    const { query } = call.request;
    const marker = Number(query.get('part-number-marker') ?? '0') || 0;
    const maxParts = Math.min(Number(query.get('max-parts') ?? '1000') || 1000, 1000);
    const after = this.s3.uploads.parts(uploadId).filter((p) => p.partNumber > marker);
    const page = after.slice(0, maxParts);
    const truncated = after.length > page.length;
    return xmlResponse('ListPartsResult', {
      Bucket: call.bucket,
      Key: call.key,
      UploadId: uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : marker,
      MaxParts: maxParts,
      IsTruncated: truncated,
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: p.lastModified,
        ETag: p.etag,
        Size: p.size,
      })),
      Initiator: this.s3.owner(),
      Owner: this.s3.owner(),
      StorageClass: upload.storageClass,
    });
  }

  /** ListMultipartUploads for the bucket, filtered by `prefix`, in one page. */
  listUploads(call: S3Call): AwsResponse {
    this.s3.bucket(call.bucket);
    const prefix = call.request.query.get('prefix') ?? '';
    const uploads = this.s3.uploads.uploads(call.bucket).filter((u) => u.key.startsWith(prefix));
    return xmlResponse('ListMultipartUploadsResult', {
      Bucket: call.bucket,
      KeyMarker: '',
      UploadIdMarker: '',
      Prefix: prefix,
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads.map((u) => ({
        Key: u.key,
        UploadId: u.uploadId,
        Initiator: this.s3.owner(),
        Owner: this.s3.owner(),
        StorageClass: u.storageClass,
        Initiated: u.initiated,
      })),
    });
  }

  private upload(call: S3Call, uploadId: string): UploadRecord {
    this.s3.bucket(call.bucket);
    const upload = this.s3.uploads.upload(uploadId);
    if (!upload || upload.bucket !== call.bucket || upload.key !== call.key) throw noSuchUpload(uploadId);
    return upload;
  }
}

function completeResult(call: S3Call, etag: string): AwsResponse {
  return xmlResponse('CompleteMultipartUploadResult', {
    Location: location(call),
    Bucket: call.bucket,
    Key: call.key,
    ETag: etag,
  });
}

/** The object's URL as S3 returns it in Location, for the addressing style the client used. */
function location(call: S3Call): string {
  const host = header(call.request, 'host') ?? 'localhost';
  const key = call.key.split('/').map(encodeURIComponent).join('/');
  return host.startsWith(`${call.bucket}.`)
    ? `http://${host}/${key}`
    : `http://${host}/${call.bucket}/${key}`;
}
