import type { AwsRequest, AwsResponse, AwsService } from './endpoint';
import { credentialScope, type CredentialScope } from './signature';
import { escapeXml } from './xml';

/** The signing names of the APIs the endpoint emulates (DynamoDB Streams signs as `dynamodb`). */
const EMULATED = new Set(['s3', 'sqs', 'sns', 'events', 'kinesis', 'dynamodb', 'lambda', 'execute-api']);

export interface UnemulatedDeps {
  /** Signing names the user opted into: their calls go to AWS. */
  passthrough: ReadonlySet<string>;
  forward(request: AwsRequest, scope: CredentialScope): Promise<AwsResponse>;
  /** The function whose placeholder access key signed a request. */
  functionOf(accessKey: string): string | undefined;
  log(line: string): void;
}

/**
 * The calls to AWS services the emulator does not emulate (SSM, Secrets Manager, STS, ...): what a
 * handler's SDK signs for such a service reaches this endpoint (the handler's network sends every AWS
 * host here), and is forwarded when the user opted in, else refused at once with an error that says
 * why, never left to hang until the function's timeout.
 */
export class UnemulatedServices implements AwsService {
  constructor(private readonly deps: UnemulatedDeps) {}

  handles(request: AwsRequest): boolean {
    const scope = credentialScope(request);
    return scope !== undefined && !EMULATED.has(scope.service);
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const scope = credentialScope(request) as CredentialScope;
    const { passthrough, functionOf, log } = this.deps;
    if (passthrough.has(scope.service)) return this.deps.forward(request, scope);
    const caller = functionOf(scope.accessKey);
    const host = request.headers.host ?? '';
    const message =
      `sls emulate does not emulate ${scope.service} (${host}): the call was refused, nothing went to AWS. ` +
      `To call the real ${scope.service} with your own credentials, add it to custom.emulate.passthrough`;
    log(
      `✗ ${caller ?? 'a client'} called ${scope.service} at ${host}: refused (${scope.service} is not emulated; custom.emulate.passthrough sends it to AWS)`,
    );
    return refusal(request, message);
  }
}

/** AccessDenied, in the JSON shape for JSON protocols (`X-Amz-Target`) and in Query's XML otherwise. */
function refusal(request: AwsRequest, message: string): AwsResponse {
  if (request.headers['x-amz-target'] !== undefined) {
    return {
      status: 403,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': 'AccessDeniedException' },
      body: JSON.stringify({ __type: 'AccessDeniedException', message }),
    };
  }
  return {
    status: 403,
    headers: { 'content-type': 'text/xml' },
    body:
      `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>emulate</RequestId></ErrorResponse>`,
  };
}
