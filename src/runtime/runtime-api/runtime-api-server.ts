import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvocationInput, LambdaErrorBody } from '../types';
import {
  invalidRequestId,
  invalidStateTransition,
  MAX_RESPONSE_BYTES,
  requestEntityTooLarge,
  responseTooLarge,
  runtimeErrorBody,
} from '../lambda-errors';

/** What the runtime answered to one invocation. */
export type RuntimeAnswer =
  | { kind: 'response'; payload: string }
  | { kind: 'error'; error: LambdaErrorBody }
  | { kind: 'init-error'; error: LambdaErrorBody };

export interface RuntimeApiHooks {
  /** The runtime's first `next`: its init is over. */
  onReady?: () => void;
  /** The runtime posted `/init/error`. */
  onInitError?: (error: LambdaErrorBody) => void;
}

// The runtime's states and their names, as the Runtime Interface Emulator has them (lambda/core).
type State = 'Started' | 'InitError' | 'Ready' | 'RuntimeResponseSentState';

const PREFIX = '/2018-06-01/runtime';
const INVOCATION_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

interface Pending {
  input: InvocationInput;
  resolve: (answer: RuntimeAnswer) => void;
}

/**
 * The Lambda Runtime API (version 2018-06-01) for one runtime process, on 127.0.0.1 and an ephemeral
 * port: `GET /runtime/invocation/next` long-polls until `invoke()` hands it an invocation;
 * `POST /runtime/invocation/{id}/response` and `/error` settle it; `POST /runtime/init/error` fails the
 * init, and with it every pending and later invocation. Status codes and bodies are the RIE's: 202
 * `{"status":"OK"}`, 400 `InvalidRequestID` for an id that is not the current one, 403
 * `InvalidStateTransition` for a call the runtime's state does not allow, 413 `RequestEntityTooLarge`.
 */
export class RuntimeApiServer {
  private readonly server: http.Server;
  private state: State = 'Started';
  private currentInvokeId = '';
  private pending: Pending | undefined;
  private readonly parked: http.ServerResponse[] = [];
  private failedInit: LambdaErrorBody | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly hooks: RuntimeApiHooks) {
    this.server = http.createServer((req, res) => this.route(req, res));
    // `next` is a long poll and a runtime keeps its connection between calls: no timeouts here.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.keepAliveTimeout = 0;
  }

  /** Starts a server on 127.0.0.1, port 0. */
  static async start(hooks: RuntimeApiHooks = {}): Promise<RuntimeApiServer> {
    const api = new RuntimeApiServer(hooks);
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(0, '127.0.0.1', () => {
        api.server.off('error', reject);
        resolve();
      });
    });
    return api;
  }

  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** The error the runtime posted to `/init/error`, if it did. */
  get initError(): LambdaErrorBody | undefined {
    return this.failedInit;
  }

  /** Hands one invocation to the runtime; resolves with its answer. One at a time. */
  invoke(input: InvocationInput): Promise<RuntimeAnswer> {
    if (this.failedInit) return Promise.resolve({ kind: 'init-error', error: this.failedInit });
    if (this.pending) return Promise.reject(new Error('the runtime is already running an invocation'));
    return new Promise((resolve) => {
      this.pending = { input, resolve };
      const waiting = this.parked.shift();
      if (waiting) this.deliver(waiting);
    });
  }

  /** Stops listening and drops every connection (a parked `next` included). */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
    }
    return this.closing;
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    const invocation = INVOCATION_PATH.exec(path);
    if (path === `${PREFIX}/invocation/next`) {
      if (req.method !== 'GET') return methodNotAllowed(req, res);
      req.resume();
      this.next(res);
    } else if (invocation) {
      if (req.method !== 'POST') return methodNotAllowed(req, res);
      void this.answer(req, res, decodeURIComponent(invocation[1]), invocation[2] as 'response' | 'error');
    } else if (path === `${PREFIX}/init/error`) {
      if (req.method !== 'POST') return methodNotAllowed(req, res);
      void this.initErrorPosted(req, res);
    } else {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    }
  }

  private next(res: http.ServerResponse): void {
    if (this.state === 'InitError') return forbidden(res, this.state, 'Ready');
    if (this.state === 'Started') {
      this.state = 'Ready';
      this.hooks.onReady?.();
    } else {
      this.state = 'Ready';
    }
    // In Ready with an invocation already handed out, the RIE renders the same invocation again.
    if (this.pending) return this.deliver(res);
    this.parked.push(res);
    res.once('close', () => {
      const at = this.parked.indexOf(res);
      if (at >= 0) this.parked.splice(at, 1);
    });
  }

  private deliver(res: http.ServerResponse): void {
    const { input } = this.pending as Pending;
    this.currentInvokeId = input.requestId;
    const body = Buffer.from(input.event, 'utf8');
    const headers: Record<string, string | number> = {
      'Lambda-Runtime-Aws-Request-Id': input.requestId,
      'Lambda-Runtime-Trace-Id': input.traceId,
      'Lambda-Runtime-Invoked-Function-Arn': input.invokedFunctionArn,
      'Lambda-Runtime-Deadline-Ms': String(input.deadlineMs),
      'Content-Type': 'application/json',
      'Content-Length': body.length,
    };
    const clientContext = decodeClientContext(input.clientContext);
    if (clientContext) headers['Lambda-Runtime-Client-Context'] = clientContext;
    res.writeHead(200, headers).end(body);
  }

  private async answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    requestId: string,
    kind: 'response' | 'error',
  ): Promise<void> {
    const body = await readBody(req);
    if (requestId === '' || requestId !== this.currentInvokeId) return refuseRequestId(res);
    if (this.state !== 'Ready') {
      return forbidden(
        res,
        this.state,
        kind === 'response' ? 'InvocationResponse' : 'InvocationErrorResponse',
      );
    }
    // Ready again after answering (a new `next`): the RIE's ErrResponseSent, rendered as 400.
    const pending = this.pending;
    if (!pending) return refuseRequestId(res);
    this.pending = undefined;
    this.state = 'RuntimeResponseSentState';
    if (kind === 'error') {
      const errorType = header(req, 'lambda-runtime-function-error-type');
      pending.resolve({ kind: 'error', error: runtimeErrorBody(body.toString('utf8'), errorType) });
      return accepted(res);
    }
    if (body.length > MAX_RESPONSE_BYTES) {
      pending.resolve({ kind: 'error', error: responseTooLarge(body.length) });
      return sendJson(res, 413, requestEntityTooLarge());
    }
    pending.resolve({ kind: 'response', payload: body.toString('utf8') });
    accepted(res);
  }

  private async initErrorPosted(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.state !== 'Started') return forbidden(res, this.state, 'InitError');
    this.state = 'InitError';
    const error = runtimeErrorBody(body.toString('utf8'), header(req, 'lambda-runtime-function-error-type'));
    this.failedInit = error;
    this.hooks.onInitError?.(error);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ kind: 'init-error', error });
    accepted(res);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

const header = (req: http.IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

// go-chi's render.JSON: JSON with a trailing newline.
function sendJson(res: http.ServerResponse, status: number, body: object): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
    .end(`${JSON.stringify(body)}\n`);
}

const refuseRequestId = (res: http.ServerResponse) => sendJson(res, 400, invalidRequestId());

const accepted = (res: http.ServerResponse) => sendJson(res, 202, { status: 'OK' });

function forbidden(res: http.ServerResponse, from: State, to: string): void {
  sendJson(res, 403, invalidStateTransition(from, to));
}

function methodNotAllowed(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  res.writeHead(405).end();
}

/**
 * The Invoke API takes the client context as base64 JSON; the runtime gets the JSON itself (AWS's
 * runtimes `JSON.parse`/`json.loads` the header). Re-serialized with non-ASCII escaped so it is a valid
 * header value; dropped when it is not base64 JSON.
 */
function decodeClientContext(base64: string | undefined): string | undefined {
  if (!base64) return undefined;
  try {
    const json = JSON.stringify(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
    return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  } catch {
    return undefined;
  }
}
