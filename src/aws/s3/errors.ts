import { AwsError } from '../aws-error';

/** An error S3 answers with: its HTTP status, its code and message, and the extra elements it adds. */
export class S3Error extends AwsError {
  declare readonly fields: Readonly<Record<string, string | number>>;
  /** Headers the error answer carries besides S3's own (`x-amz-delete-marker`, `x-amz-version-id`). */
  headers: Record<string, string> = {};

  constructor(status: number, code: string, message: string, fields: Record<string, string | number> = {}) {
    super(code, message, { statusCode: status, fields });
  }

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }
}

/** The 5 MiB every part but the last of a multipart upload must reach. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export const noSuchBucket = (bucket: string) =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const noSuchVersion = (key: string, versionId: string) =>
  new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', {
    Key: key,
    VersionId: versionId,
  });

/** A `versionId` parameter: S3 refuses an empty one, and one that is not an id it could have made. */
export function checkVersionId(versionId: string): string {
  if (versionId === '')
    throw invalidArgument('Version id cannot be the empty string', 'versionId', versionId);
  if (versionId !== 'null' && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId))
    throw invalidArgument('Invalid version id specified', 'versionId', versionId);
  return versionId;
}

/** A path whose percent-encoding does not decode (`%zz`, or bytes that are not UTF-8). */
export const invalidUri = (uri: string) =>
  new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.", { URI: uri });

export const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

export const malformedXml = () =>
  new S3Error(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const notImplemented = (what: string) =>
  new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', {
    Header: what,
  });

export const preconditionFailed = (condition: string) =>
  new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });

export const badDigest = (algorithm: string) =>
  new S3Error(
    400,
    'BadDigest',
    algorithm === 'Content-MD5'
      ? 'The Content-MD5 you specified did not match what we received.'
      : `The ${algorithm} you specified did not match the calculated checksum.`,
  );
