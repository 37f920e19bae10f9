import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, AwsService } from './endpoint';
import { isForm } from './query-request';
import { credentialScope, requestRegion, type CredentialScope } from './signature';
import { escapeXml } from './xml';

/** The signing names of the APIs the endpoint emulates (DynamoDB Streams signs as `dynamodb`). */
const EMULATED = new Set(['s3', 'sqs', 'sns', 'events', 'kinesis', 'dynamodb', 'lambda', 'execute-api']);

/** Services on the REST-XML protocol: their clients read XML errors. */
const REST_XML = new Set(['s3', 'cloudfront', 'route53', 's3-outposts', 's3-object-lambda', 's3express']);

export interface UnemulatedDeps {
  /** Signing names the user opted into: their calls go to AWS. */
  passthrough: ReadonlySet<string>;
  forward(request: AwsRequest, scope: CredentialScope): Promise<AwsResponse>;
  /** The function whose placeholder access key signed a request. */
  functionOf(accessKey: string): string | undefined;
  log(line: string): void;
  /**
   * Services answered here, by signing name (`sts`), unless the user opted them into passthrough.
   * Their `handles` tells their unsigned requests (STS's AssumeRoleWithWebIdentity is unsigned).
   */
  local?: Readonly<Record<string, AwsService>>;
}

/**
 * The calls to AWS services the emulator does not emulate (SSM, Secrets Manager, IAM, ...): what a
 * handler's SDK signs for such a service reaches this endpoint (the handler's network sends every AWS
 * host here), and is forwarded when the user opted in, else refused at once with an error in the
 * protocol its client reads that says why, never left to hang until the function's timeout. The few
 * services answered locally (STS) are forwarded only when opted in too.
 */
export class UnemulatedServices implements AwsService {
  private readonly local: Readonly<Record<string, AwsService>>;

  constructor(private readonly deps: UnemulatedDeps) {
    this.local = deps.local ?? {};
  }

  handles(request: AwsRequest): boolean {
    const scope = credentialScope(request);
    if (scope) return !EMULATED.has(scope.service);
    return this.unsignedLocal(request) !== undefined;
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const scope = credentialScope(request) ?? this.unsignedScope(request);
    const { passthrough, functionOf, log } = this.deps;
    if (passthrough.has(scope.service)) return this.deps.forward(request, scope);
    const local = Object.hasOwn(this.local, scope.service) ? this.local[scope.service] : undefined;
    if (local) return local.handle(request);
    const caller = functionOf(scope.accessKey);
    const host = request.headers.host ?? '';
    const message =
      `sls emulate does not emulate ${scope.service} (${host}): the call was refused, nothing went to AWS. ` +
      `To call the real ${scope.service} with your own credentials, add it to custom.emulate.passthrough`;
    log(
      `✗ ${caller ?? 'a client'} called ${scope.service} at ${host}: refused (${scope.service} is not emulated; custom.emulate.passthrough sends it to AWS)`,
    );
    return refusal(request, scope.service, message);
  }

  private unsignedLocal(request: AwsRequest): string | undefined {
    return Object.keys(this.local).find((name) => this.local[name].handles(request));
  }

  /** An unsigned request's service and region: the region of an AWS host (`sts.eu-west-1.amazonaws.com`). */
  private unsignedScope(request: AwsRequest): CredentialScope {
    const service = this.unsignedLocal(request) as string;
    return { service, region: requestRegion(request) ?? 'us-east-1', accessKey: '' };
  }
}

/** The protocol a client of an unknown service reads its errors in, from what its request looks like. */
export type ClientProtocol = 'json' | 'query' | 'ec2' | 'rest-xml' | 'rest-json';

export function clientProtocol(request: AwsRequest, service: string): ClientProtocol {
  if (request.headers['x-amz-target'] !== undefined) return 'json';
  const form = request.method === 'POST' && isForm(request);
  if (form || request.query.has('Action')) return service === 'ec2' ? 'ec2' : 'query';
  const type = String(request.headers['content-type'] ?? '');
  if (REST_XML.has(service) || /[/+]xml\b/.test(type)) return 'rest-xml';
  return 'rest-json';
}

/** An error as each protocol carries it: the Query code (XML) and the JSON protocols' type. */
export interface ProtocolError {
  /** For AWS JSON and Query; REST-JSON and REST-XML take `restStatus` when given. */
  status: number;
  restStatus?: number;
  queryCode: string;
  jsonCode: string;
  message: string;
}

/**
 * The error as the client's protocol writes it, so that every SDK names it: AWS JSON 1.0/1.1 (`__type`,
 * for X-Amz-Target clients), Query XML (IAM, STS, CloudFormation, ...), EC2's Query XML, REST-XML
 * (`<ErrorResponse><Error>`) and REST-JSON (`x-amzn-ErrorType`, for API Gateway, AppSync, Lambda, ...).
 */
export function errorInClientProtocol(
  request: AwsRequest,
  service: string,
  error: ProtocolError,
): AwsResponse {
  const requestId = randomUUID();
  const { queryCode, jsonCode } = error;
  const message = escapeXml(error.message);
  const xml = (status: number, body: string): AwsResponse => ({
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  });
  const json = (status: number, type: string, body: Record<string, string>): AwsResponse => ({
    status,
    headers: { 'content-type': type, 'x-amzn-ErrorType': jsonCode, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  });
  const protocol = clientProtocol(request, service);
  const status = protocol.startsWith('rest-') ? (error.restStatus ?? error.status) : error.status;
  switch (protocol) {
    case 'json': {
      const sent = /^application\/x-amz-json-1\.[01]/.exec(String(request.headers['content-type'] ?? ''));
      const type = sent?.[0] ?? 'application/x-amz-json-1.1';
      return json(status, type, { __type: jsonCode, message: error.message });
    }
    case 'rest-json':
      return json(status, 'application/json', { message: error.message });
    case 'ec2':
      return xml(
        status,
        `<Response><Errors><Error><Code>${queryCode}</Code><Message>${message}</Message></Error></Errors>` +
          `<RequestID>${requestId}</RequestID></Response>`,
      );
    case 'query':
    case 'rest-xml':
      return xml(
        status,
        `<ErrorResponse><Error><Type>Sender</Type><Code>${queryCode}</Code><Message>${message}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
  }
}

/** The refusal of a service not emulated: AccessDenied (403), or AccessDeniedException in JSON. */
export function refusal(request: AwsRequest, service: string, message: string): AwsResponse {
  return errorInClientProtocol(request, service, {
    status: 403,
    queryCode: 'AccessDenied',
    jsonCode: 'AccessDeniedException',
    message,
  });
}

/**
 * What no emulated API serves (Lambda's ListFunctions, a Query call at a path no service has), in the
 * client's protocol: InvalidAction (400) in XML, UnknownOperationException in JSON (404 in REST-JSON, as
 * the endpoint answered it so far). For the endpoint's last resort, instead of its JSON 404.
 */
export function unknownOperation(request: AwsRequest): AwsResponse {
  return errorInClientProtocol(request, credentialScope(request)?.service ?? '', {
    status: 400,
    restStatus: 404,
    queryCode: 'InvalidAction',
    jsonCode: 'UnknownOperationException',
    message: `No emulated AWS API at ${request.method} ${request.path}`,
  });
}
