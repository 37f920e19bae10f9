import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error';
import type { AwsRequest, AwsResponse, AwsService } from '../endpoint';
import { jsonError } from '../json-protocol';
import { isForm, isUtf8Form, queryParams } from '../query-request';
import { credentialScope } from '../signature';
import { escapeXml, toXml, type XmlNode } from '../xml';
import { Sessions, type SessionsOptions } from './sessions';

export const STS_VERSION = '2011-06-15';
const NAMESPACE = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

/** STS's actions, the ones answered and the others: they tell an unsigned Query request without `Version`. */
const STS_ACTIONS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'AssumeRoot',
  'DecodeAuthorizationMessage',
  'GetAccessKeyInfo',
  'GetCallerIdentity',
  'GetDelegatedAccessToken',
  'GetFederationToken',
  'GetSessionToken',
  'GetWebIdentityToken',
]);

export type StsOptions = SessionsOptions;

/**
 * AWS STS on the Query protocol, answered locally (unless `sts` is in custom.emulate.passthrough, which
 * UnemulatedServices decides): GetCallerIdentity says which emulated principal signed the call, and
 * the AssumeRole family and GetSessionToken hand out placeholder credentials. Requests signed for `sts`
 * are routed here by UnemulatedServices; `handles` tells the unsigned ones (AssumeRoleWithWebIdentity
 * and AssumeRoleWithSAML are unsigned calls).
 */
export class StsService implements AwsService {
  private readonly sessions: Sessions;

  constructor(options: StsOptions) {
    this.sessions = new Sessions(options);
  }

  /** An unsigned Query request for STS: at `/`, its `Version` STS's, or without one an action only STS has. */
  handles(request: AwsRequest): boolean {
    if (request.headers['x-amz-target'] !== undefined) return false;
    if (!(request.method === 'GET' || request.method === 'POST') || request.path !== '/') return false;
    const params = queryParams(request);
    const version = params.get('Version');
    if (version !== null) return version === STS_VERSION;
    return STS_ACTIONS.has(params.get('Action') ?? '');
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const requestId = randomUUID();
    // STS speaks the Query protocol only: a JSON client is told so in JSON.
    if (request.headers['x-amz-target'] !== undefined) {
      return jsonError(
        400,
        'UnknownOperationException',
        `STS answers the Query protocol (Action=...&Version=${STS_VERSION}), not X-Amz-Target ${String(request.headers['x-amz-target'])}`,
      );
    }
    try {
      if (request.method === 'POST' && isForm(request) && !isUtf8Form(request.body)) {
        throw new AwsError(
          'MalformedQueryString',
          'The request body is not valid UTF-8 once its percent-escapes are decoded.',
        );
      }
      const params = queryParams(request);
      const action = params.get('Action');
      if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
      const operation = Object.hasOwn(this.sessions.operations, action)
        ? this.sessions.operations[action]
        : undefined;
      if (!operation) throw unknownAction(action);
      const scope = credentialScope(request);
      const result = operation(params, { accessKey: scope?.accessKey, region: scope?.region ?? 'us-east-1' });
      return answer(200, requestId, success(action, result, requestId));
    } catch (thrown) {
      if (!(thrown instanceof AwsError)) throw thrown;
      return answer(thrown.statusCode, requestId, errorXml(thrown, requestId));
    }
  }
}

/** STS's answer for an action it does not have; the ones it has but the emulator does not answer say so. */
function unknownAction(action: string): AwsError {
  if (STS_ACTIONS.has(action)) {
    return new AwsError(
      'InvalidAction',
      `sls emulate does not emulate sts:${action} (it answers GetCallerIdentity, GetAccessKeyInfo, AssumeRole, AssumeRoleWithWebIdentity and GetSessionToken): nothing went to AWS. To call the real STS with your own credentials, add sts to custom.emulate.passthrough`,
    );
  }
  return new AwsError('InvalidAction', `Could not find operation ${action} for version ${STS_VERSION}`);
}

function success(action: string, result: Record<string, unknown>, requestId: string): string {
  const inner = toXml({
    [`${action}Result`]: result as XmlNode,
    ResponseMetadata: { RequestId: requestId },
  });
  return `<${action}Response xmlns="${NAMESPACE}">${inner}</${action}Response>`;
}

function errorXml(error: AwsError, requestId: string): string {
  const type = error.senderFault ? 'Sender' : 'Receiver';
  return (
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function answer(status: number, requestId: string, body: string): AwsResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
