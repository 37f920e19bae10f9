import type { BucketCorsRule } from '../../service/resources';
import type { Db } from '../../state/database';
import type { AwsRequest, AwsResponse } from '../endpoint';
import { S3Error } from './errors';
import { header } from './headers';
import { childrenNamed, childText, parseBody, xmlResponse, type XmlNode } from './xml';

/** One rule of a bucket's CORS configuration, as PutBucketCors and `CorsConfiguration` give it. */
export type CorsRule = BucketCorsRule;

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
const MAX_RULES = 100;

/** S3's CORS wildcards: one `*` in an origin or header name matches any run of characters. */
const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );

const matchesAny = (patterns: string[], value: string) => patterns.some((p) => wildcard(p).test(value));

function matchingRule(rules: CorsRule[], origin: string, method: string, requestHeaders: string[]) {
  return rules.find(
    (rule) =>
      matchesAny(rule.allowedOrigins, origin) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((name) => matchesAny(rule.allowedHeaders, name)),
  );
}

/** The headers S3 adds for a request whose origin and method a rule allows. */
function allowHeaders(rule: CorsRule, origin: string, requestHeaders: string[]) {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (requestHeaders.length) headers['access-control-allow-headers'] = requestHeaders.join(', ');
  if (rule.exposeHeaders.length) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  return headers;
}

const forbidden = (message: string) =>
  new S3Error(403, 'AccessForbidden', message, { Method: 'OPTIONS', ResourceType: 'BUCKET' });

/**
 * Buckets' CORS configurations (table `s3_bucket_cors`) and S3's rules for them: a preflight is
 * answered from the first rule that allows its origin, method and headers, else 403; a request from a
 * page gets the CORS headers of the rule that allows it. The endpoint refuses any other request a page
 * makes, so a bucket's CORS configuration is the only way a web page reaches the emulator.
 */
export class BucketCors {
  private readonly statements;

  constructor(db: Db) {
    db.exec('CREATE TABLE IF NOT EXISTS s3_bucket_cors (bucket TEXT PRIMARY KEY, rules TEXT NOT NULL)');
    this.statements = {
      get: db.prepare('SELECT rules FROM s3_bucket_cors WHERE bucket = ?'),
      put: db.prepare('INSERT OR REPLACE INTO s3_bucket_cors (bucket, rules) VALUES (?, ?)'),
      delete: db.prepare('DELETE FROM s3_bucket_cors WHERE bucket = ?'),
    };
  }

  rules(bucket: string): CorsRule[] | undefined {
    const row = this.statements.get.get(bucket) as { rules: string } | undefined;
    return row && (JSON.parse(row.rules) as CorsRule[]);
  }

  set(bucket: string, rules: CorsRule[]): void {
    this.statements.put.run(bucket, JSON.stringify(rules));
  }

  delete(bucket: string): void {
    this.statements.delete.run(bucket);
  }

  /** PutBucketCors: the `CORSConfiguration` document, checked as S3 checks it. */
  put(bucket: string, body: Buffer): AwsResponse {
    const rules = childrenNamed(parseBody(body, 'CORSConfiguration'), 'CORSRule').map((rule) => ({
      id: childText(rule, 'ID'),
      allowedOrigins: childrenNamed(rule, 'AllowedOrigin').map((e) => e.text),
      allowedMethods: childrenNamed(rule, 'AllowedMethod').map((e) => e.text),
      allowedHeaders: childrenNamed(rule, 'AllowedHeader').map((e) => e.text),
      exposeHeaders: childrenNamed(rule, 'ExposeHeader').map((e) => e.text),
      maxAgeSeconds:
        childText(rule, 'MaxAgeSeconds') === undefined ? undefined : Number(childText(rule, 'MaxAgeSeconds')),
    }));
    this.set(bucket, validRules(rules));
    return { status: 200 };
  }

  /** GetBucketCors. */
  get(bucket: string): AwsResponse {
    const rules = this.rules(bucket);
    if (!rules) {
      throw new S3Error(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
        BucketName: bucket,
      });
    }
    const body: XmlNode = {
      CORSRule: rules.map((rule) => ({
        ID: rule.id,
        AllowedHeader: rule.allowedHeaders,
        AllowedMethod: rule.allowedMethods,
        AllowedOrigin: rule.allowedOrigins,
        ExposeHeader: rule.exposeHeaders,
        MaxAgeSeconds: rule.maxAgeSeconds,
      })),
    };
    return xmlResponse('CORSConfiguration', body);
  }

  /** An `OPTIONS` preflight for an object or bucket of `bucket`. */
  preflight(bucket: string, request: AwsRequest): AwsResponse {
    const origin = header(request, 'origin');
    const method = header(request, 'access-control-request-method');
    if (origin === undefined || method === undefined) {
      throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
    }
    const rules = this.rules(bucket);
    if (!rules) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');
    const requested = requestHeaders(request);
    const rule = matchingRule(rules, origin, method, requested);
    if (!rule) {
      throw forbidden(
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      );
    }
    return { status: 200, headers: allowHeaders(rule, origin, requested) };
  }

  /** The CORS headers for a request from a page of `origin`; undefined when no rule allows it. */
  allowed(bucket: string, request: AwsRequest): Record<string, string> | undefined {
    const origin = header(request, 'origin');
    const rules = origin === undefined ? undefined : this.rules(bucket);
    if (!rules || origin === undefined) return undefined;
    const rule = matchingRule(rules, origin, request.method, []);
    return rule && allowHeaders(rule, origin, []);
  }
}

function requestHeaders(request: AwsRequest): string[] {
  const list = header(request, 'access-control-request-headers') ?? '';
  return list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/** What S3 refuses in a CORS configuration, with its messages. */
export function validRules(rules: CorsRule[]): CorsRule[] {
  if (rules.length === 0 || rules.length > MAX_RULES) {
    throw new S3Error(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  for (const rule of rules) {
    if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0) {
      throw new S3Error(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const unknown = rule.allowedMethods.find((m) => !METHODS.includes(m));
    if (unknown !== undefined) {
      throw new S3Error(
        400,
        'InvalidRequest',
        `Found unsupported HTTP method in CORS config. Unsupported method is ${unknown}`,
      );
    }
    if (rule.allowedOrigins.some((o) => o.split('*').length > 2)) {
      throw new S3Error(400, 'InvalidRequest', 'AllowedOrigin can not have more than one wildcard.');
    }
  }
  return rules;
}
