import http from 'node:http';
import type { LambdaErrorBody } from '../types';
import type { HandlerInvocation } from './call-handler';

const PREFIX = '/2018-06-01/runtime';

/**
 * The runtime's side of the Lambda Runtime API (`AWS_LAMBDA_RUNTIME_API`), over Node's own http with a
 * keep-alive agent whose idle socket does not hold the event loop (so `beforeExit` still tells an empty
 * loop). Requests are made with the http.request of before the handler's module loads.
 */
export class RuntimeApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly request = http.request;
  private readonly host: string;
  private readonly port: number;

  constructor(address: string) {
    const [host, port] = address.split(':');
    this.host = host;
    this.port = Number(port);
  }

  /** Long-polls for the next invocation. */
  async next(): Promise<HandlerInvocation> {
    const { headers, body } = await this.call('GET', `${PREFIX}/invocation/next`);
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const clientContext = header('lambda-runtime-client-context');
    return {
      requestId: header('lambda-runtime-aws-request-id') ?? '',
      event: body,
      deadlineMs: Number(header('lambda-runtime-deadline-ms')),
      invokedFunctionArn: header('lambda-runtime-invoked-function-arn') ?? '',
      clientContext: clientContext ? JSON.parse(clientContext) : undefined,
      traceId: header('lambda-runtime-trace-id') ?? '',
    };
  }

  async respond(requestId: string, payload: string): Promise<void> {
    await this.call('POST', `${PREFIX}/invocation/${encodeURIComponent(requestId)}/response`, payload);
  }

  async fail(requestId: string, error: LambdaErrorBody): Promise<void> {
    await this.postError(`${PREFIX}/invocation/${encodeURIComponent(requestId)}/error`, error);
  }

  async initFailed(error: LambdaErrorBody): Promise<void> {
    await this.postError(`${PREFIX}/init/error`, error);
  }

  private postError(path: string, error: LambdaErrorBody) {
    return this.call('POST', path, JSON.stringify(error), {
      'Lambda-Runtime-Function-Error-Type': error.errorType,
    });
  }

  private call(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const request = this.request(
        { host: this.host, port: this.port, method, path, agent: this.agent, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}
