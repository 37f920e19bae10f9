import type { AwsResponse } from '../endpoint';
import { accessKeyOf } from './addressing';
import { checkKey, type S3Call, type S3Context } from './context';
import { invalidArgument, S3Error } from './errors';
import { boundaryOf, FormDataError, parseFormData, type FormPart } from './form-data';
import { header, metadataFromHeaders } from './headers';
import { writtenHeaders, type ObjectWrites } from './object-write';
import { checkDigests } from './payload';
import type { ObjectRecord } from './store';
import { bareXmlResponse } from './xml';

/** What S3 reads of the fields before the file part, at most. */
const MAX_PRE_DATA = 20480;

/** A browser-based upload's form: its fields before the file (by lower-case name), and the file. */
interface Form {
  fields: Map<string, string>;
  file: FormPart;
}

/**
 * POST Object: the browser-based upload of an HTML form (`multipart/form-data`) to the bucket's
 * URL. Its fields carry what PutObject's headers do (`key`, `Content-Type`, `x-amz-meta-*`, ...) and
 * how to answer (`success_action_status`, `success_action_redirect`); the `file` part is the object,
 * and the fields after it are ignored, as S3 ignores them. The policy and its signature are
 * accepted, not verified, as no signature is on this endpoint.
 */
export class PostObjects {
  constructor(
    private readonly s3: S3Context,
    private readonly writes: ObjectWrites,
  ) {}

  async postObject(call: S3Call): Promise<AwsResponse> {
    this.s3.bucket(call.bucket);
    const { fields, file } = readForm(call);
    const template = fields.get('key');
    // `${filename}` is replaced only when the file part has a filename, as S3 does.
    const key = file.filename === undefined ? template : template?.split('${filename}').join(file.filename);
    if (!key) {
      throw invalidArgument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        'key',
        '',
      );
    }
    checkKey(key);
    const record = await this.writes.write(call, {
      eventName: 'ObjectCreated:Post',
      key,
      data: file.data,
      metadata: metadataFromHeaders(Object.fromEntries(fields)),
      checksum: checkDigests((name) => fields.get(name), file.data),
      principal: signerOf(call, fields),
    });
    return answer(this.s3, call, fields, record);
  }
}

function readForm(call: S3Call): Form {
  const contentType = header(call.request, 'content-type') ?? '';
  if (!/^multipart\/form-data\s*(?:;|$)/i.test(contentType.trim())) {
    throw new S3Error(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
      },
    );
  }
  const boundary = boundaryOf(contentType);
  let parts: FormPart[];
  try {
    if (boundary === undefined) throw new FormDataError('no boundary');
    parts = parseFormData(call.request.body, boundary);
  } catch (error) {
    if (!(error instanceof FormDataError)) throw error;
    throw new S3Error(
      400,
      'MalformedPOSTRequest',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  }
  const fields = new Map<string, string>();
  let preData = 0;
  for (const part of parts) {
    if (part.name === undefined) continue;
    const name = part.name.toLowerCase();
    if (name === 'file') return { fields, file: part };
    preData += Buffer.byteLength(part.name) + part.data.length;
    if (preData > MAX_PRE_DATA) {
      throw new S3Error(
        400,
        'MaxPostPreDataLengthExceeded',
        'Your POST request fields preceeding the upload file was too large.',
        { MaxPostPreDataLengthBytes: MAX_PRE_DATA },
      );
    }
    if (!fields.has(name)) fields.set(name, part.data.toString('utf8'));
  }
  throw invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
}

/** The access key of the form's SigV4 credential (or SigV2 `AWSAccessKeyId`), else the request's. */
function signerOf(call: S3Call, fields: Map<string, string>): string | undefined {
  const credential = fields.get('x-amz-credential')?.split('/')[0] || fields.get('awsaccesskeyid');
  return credential || accessKeyOf(call.request);
}

/**
 * A 303 to `success_action_redirect` when it is an absolute http(s) URL; else `success_action_status`
 * 200 (empty), 201 (the PostResponse document) or, for anything else, 204. All carry the ETag and
 * the object's URL.
 */
function answer(s3: S3Context, call: S3Call, fields: Map<string, string>, record: ObjectRecord): AwsResponse {
  const location = objectUrl(call, record.key);
  const headers = { ...writtenHeaders(s3, record), location };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  const target = redirect === undefined ? undefined : redirectTarget(redirect, call.bucket, record);
  if (target !== undefined) return { status: 303, headers: { ...headers, location: target } };
  switch (fields.get('success_action_status')) {
    case '200':
      return { status: 200, headers };
    case '201': {
      const body = { Location: location, Bucket: call.bucket, Key: record.key, ETag: record.etag };
      const response = bareXmlResponse('PostResponse', body, 201);
      return { ...response, headers: { ...response.headers, ...headers } };
    }
    default:
      return { status: 204, headers };
  }
}

/** The object's URL as it was addressed (virtual-hosted `POST /` or path-style), the key encoded. */
function objectUrl(call: S3Call, key: string): string {
  const scheme = (header(call.request, 'x-forwarded-proto') ?? 'http').split(',')[0].trim();
  const host = header(call.request, 'host') ?? 'localhost';
  const bucket = call.request.path === '/' ? '' : `/${encodeURIComponent(call.bucket)}`;
  return `${scheme}://${host}${bucket}/${encodeURIComponent(key)}`;
}

/**
 * The redirect URL with `bucket`, `key` and `etag` appended to its query (form-encoded, the ETag
 * quoted), what it had kept; undefined for a URL that is not absolute http(s), which S3 ignores.
 */
function redirectTarget(url: string, bucket: string, record: ObjectRecord): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  const query = new URLSearchParams({ bucket, key: record.key, etag: record.etag }).toString();
  // A header carries visible ASCII only: what else the URL holds is percent-encoded as UTF-8.
  return `${base}${separator}${query}${fragment}`.replace(/[^\x20-\x7e]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
