import { once } from 'node:events';
import { WebSocket, type ClientOptions } from 'ws';
import { throttled } from '../../../src/lambda/errors';
import type { InvokeOutcome, InvokeRequest, Invoker } from '../../../src/lambda/types';
import type { WebsocketProxyEvent } from '../../../src/push/websocket/events';

/** A function of this test: it gets the event, returns the result, or throws (an `Unhandled` error). */
export type Answer = (event: WebsocketProxyEvent) => Promise<unknown> | unknown;

/** Thrown by an Answer to have the Lambda service refuse the invocation as throttled. */
export const THROTTLE = new Error('throttle');

export interface Call {
  name: string;
  request: InvokeRequest;
  event: WebsocketProxyEvent;
}

/** An Invoker whose functions are the answers, by deployed name (`svc-dev-<key>`); records every call. */
export class CannedInvoker implements Invoker {
  readonly calls: Call[] = [];

  constructor(private readonly answers: Record<string, Answer>) {}

  async invoke(name: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const event = JSON.parse(request.payload) as WebsocketProxyEvent;
    this.calls.push({ name, request, event });
    const outcome = (payload: string, failed = false): InvokeOutcome => ({
      requestId: 'lambda-request-id',
      statusCode: 200,
      payload,
      durationMs: 1,
      ...(failed ? { functionError: 'Unhandled' as const } : {}),
    });
    try {
      const value = await this.answers[name.replace(/^svc-dev-/, '')](event);
      return outcome(JSON.stringify(value ?? null));
    } catch (error) {
      if (error === THROTTLE) throw throttled(name);
      const errorMessage = error instanceof Error ? error.message : String(error);
      return outcome(JSON.stringify({ errorType: 'Error', errorMessage, trace: [] }), true);
    }
  }

  /** The calls of one route, in order. */
  of(routeKey: string): Call[] {
    return this.calls.filter((call) => call.event.requestContext.routeKey === routeKey);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` is true (polled), or fails after a second. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 1000) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** An open client; rejects with the upgrade's status (`Unexpected server response: 401`) when refused. */
export async function open(url: string, protocols: string[] = [], options: ClientOptions = {}) {
  const socket = new WebSocket(url, protocols, options);
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(String(data)));
  await once(socket, 'open');
  /** The next frame the client receives (or one already received and not yet taken). */
  const next = async (): Promise<string> => {
    await waitFor(() => messages.length > 0, 'a frame');
    return messages.shift() as string;
  };
  return { socket, messages, next };
}

/** Closes a client and waits for the close to complete; resolves with the code it saw. */
export async function close(socket: WebSocket, code?: number, reason?: string): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return -1;
  const closed = once(socket, 'close') as Promise<[number]>;
  socket.close(code, reason);
  return (await closed)[0];
}
