import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { AwsRequest, AwsResponse, AwsService } from '../aws/endpoint';
import { sourcesOf } from '../classify/classify';
import { directOrigin, originText, sourceInvocation } from '../classify/origin';
import type { Clock } from '../clock';
import { LambdaServiceError } from '../lambda/errors';
import type { Invoker, InvokeRequest } from '../lambda/types';
import { sampleEvent } from '../push/samples';
import { buildReport } from '../report/build';
import { describeResource } from '../report/describe';
import type { ServiceModel } from '../service/model';
import type { InvocationHistory } from './history';
import { QueueActions } from './queue-actions';
import { ServiceCallError } from './services';
import type { LiveState } from './state';

export const LIVE_VIEW_PATH = '/_emulate/';

// An update goes to the open pages a moment after an invocation (what a burst does goes together), and
// at most once a second: a busy service costs the pages, and itself, one reading of the journeys a second.
const UPDATE_AFTER_MS = 100;
const UPDATE_EVERY_MS = 1000;
const PAGE_SIZE = 50;

const ASSETS: Record<string, string> = {
  '': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

// The page's own script and style only, never in a frame: another page can neither run it nor overlay it.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

export interface LiveViewParts {
  model: ServiceModel;
  history: InvocationHistory;
  invoker: Invoker;
  state: LiveState;
  queues: QueueActions;
  /** The emulator's time: a sample event's. */
  clock: Clock;
  /** Real time, for the pages' updates (the emulator's may be virtual). */
  uiClock: Clock;
}

class BadRequest extends Error {}
class NotFound extends Error {}

/**
 * The live view at `/_emulate/` on the AWS endpoint's port: the page, and the JSON it reads (topology,
 * journeys, invocations, state, sample events) and posts (invoke, replay, redrive, purge), with the
 * updates as server-sent events. Only the page itself may use it: a request another page makes is
 * refused (`allowsWebPage`), as every port refuses one.
 */
export class LiveView implements AwsService {
  private readonly assets = new Map<string, Buffer>();
  private topology?: Promise<string>;
  private readonly streams = new Set<PassThrough>();
  private pendingUpdate = false;
  private lastUpdateAt = -Infinity;
  private readonly touched = new Set<number>();

  constructor(private readonly parts: LiveViewParts) {
    parts.history.onInvocation((invocation) => {
      if (this.streams.size === 0) return;
      this.touched.add(invocation.journey);
      if (this.pendingUpdate) return;
      this.pendingUpdate = true;
      const due = Math.max(UPDATE_AFTER_MS, this.lastUpdateAt + UPDATE_EVERY_MS - parts.uiClock.now());
      parts.uiClock.setTimeout(() => this.sendUpdate(), due);
    });
  }

  handles(request: AwsRequest): boolean {
    return request.path === '/_emulate' || request.path.startsWith(LIVE_VIEW_PATH);
  }

  /** The page's own requests: same origin (or a navigation to it), never another site's. */
  allowsWebPage(request: AwsRequest): boolean {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === `http://${request.headers.host}`;
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    if (request.path === '/_emulate') return { status: 308, headers: { location: LIVE_VIEW_PATH } };
    const route = request.path.slice(LIVE_VIEW_PATH.length);
    try {
      if (request.method === 'GET' && route in ASSETS) return this.asset(route);
      if (route === 'api/events' && request.method === 'GET') return this.events();
      if (route.startsWith('api/')) return json(200, await this.api(request, route.slice(4).split('/')));
      return json(404, { message: `No such page: ${request.path}` });
    } catch (error) {
      if (error instanceof NotFound) return json(404, { message: error.message });
      if (error instanceof BadRequest || error instanceof ServiceCallError) {
        return json(400, { message: error.message });
      }
      if (error instanceof LambdaServiceError) return json(error.statusCode, { message: error.message });
      throw error;
    }
  }

  /** Ends the pages' event streams (the emulator stops). */
  stop(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  private api(request: AwsRequest, [resource, name, action]: string[]): Promise<unknown> | unknown {
    const { history, state, queues } = this.parts;
    const query = request.query;
    if (request.method === 'POST') {
      if (!`${request.headers['content-type']}`.startsWith('application/json')) {
        throw new BadRequest('The live view takes application/json');
      }
      const body = parseBody(request.body);
      if (resource === 'invoke') return this.invoke(body);
      if (resource === 'replay') return this.replay(String(body.id));
      if (resource === 'queues' && (action === 'redrive' || action === 'purge'))
        return this.queueAction(name, action);
    } else if (request.method === 'GET') {
      if (resource === 'service') return this.service();
      if (resource === 'topology') return this.topologySvg().then((svg) => ({ svg }));
      if (resource === 'journeys' && name === undefined) {
        const before = query.get('before');
        return history.latestJourneys(PAGE_SIZE, before === null ? undefined : Number(before));
      }
      if (resource === 'journeys') return found(history.journey(Number(name)), `journey ${name}`);
      if (resource === 'invocations') return found(history.get(name), `invocation ${name}`);
      if (resource === 'state' && name === undefined) return state.read();
      if (resource === 'tables')
        return state.tableItems(decodeURIComponent(name), query.get('next') ?? undefined);
      if (resource === 'buckets')
        return state.bucketObjects(decodeURIComponent(name), query.get('next') ?? undefined);
      if (resource === 'queues' && action === 'messages')
        return this.queue(name).then((queue) => queues.peek(queue));
      if (resource === 'samples') return this.samples(decodeURIComponent(name));
    }
    throw new BadRequest(`No such call: ${request.method} ${request.path}`);
  }

  private service() {
    const { model, history } = this.parts;
    return {
      service: model.service,
      stage: model.stage,
      region: model.region,
      functions: model.functions.map((fn) => ({ key: fn.key })),
      invocations: history.size,
    };
  }

  private samples(functionKey: string) {
    const { model, clock } = this.parts;
    const fn = this.functionOf(functionKey);
    return sourcesOf(fn).map((spec, index) => ({
      index,
      text: `${originText(sourceInvocation(spec).origin)} ${describeResource(spec)}`,
      type: sourceInvocation(spec).type,
      event: sampleEvent(spec, { service: model, fn, now: new Date(clock.now()), newId: randomUUID }),
    }));
  }

  /** Invokes a function with an event (a sample, edited or not) the way its source does, else sync. */
  private async invoke(body: Record<string, unknown>) {
    const fn = this.functionOf(String(body.function));
    const spec = typeof body.source === 'number' ? sourcesOf(fn)[body.source] : undefined;
    const type = spec ? sourceInvocation(spec).type : 'RequestResponse';
    if (typeof body.event !== 'string') throw new BadRequest('event: the event as JSON text');
    try {
      JSON.parse(body.event);
    } catch (error) {
      throw new BadRequest(`event is not JSON: ${(error as Error).message}`);
    }
    return this.run(fn.key, { payload: body.event, type, origin: directOrigin('invoke', 'live view') });
  }

  private async replay(id: string) {
    const invocation = found(this.parts.history.get(id), `invocation ${id}`);
    return this.run(invocation.functionKey, {
      payload: invocation.event,
      type: invocation.type === 'Event' ? 'Event' : 'RequestResponse',
      origin: directOrigin('invoke', `live view replay of ${invocation.requestId}`),
    });
  }

  private async run(functionKey: string, request: InvokeRequest) {
    const outcome = await this.parts.invoker.invoke(functionKey, request);
    return {
      requestId: outcome.requestId,
      statusCode: outcome.statusCode,
      payload: outcome.payload,
      ...(outcome.functionError ? { functionError: outcome.functionError } : {}),
    };
  }

  private async queueAction(name: string, action: 'redrive' | 'purge') {
    const all = await this.parts.state.queues();
    const queue = this.queueIn(all, name);
    if (action === 'purge') {
      await this.parts.queues.purge(queue);
      return { purged: queue.name };
    }
    if (queue.deadLetterOf.length === 0)
      throw new BadRequest(`${queue.name} is no queue's dead-letter queue`);
    const moved = await this.parts.queues.redrive(queue, all, (id) => this.parts.history.redrove([id]));
    return { moved: moved.length };
  }

  private async queue(name: string) {
    return this.queueIn(await this.parts.state.queues(), name);
  }

  private queueIn<T extends { name: string }>(queues: T[], name: string): T {
    return found(
      queues.find((queue) => queue.name === decodeURIComponent(name)),
      `queue ${name}`,
    );
  }

  private functionOf(key: string) {
    return found(
      this.parts.model.functions.find((fn) => fn.key === key),
      `function ${key}`,
    );
  }

  private topologySvg(): Promise<string> {
    // dagre is loaded only once a page asks for the picture.
    this.topology ??= Promise.all([
      import('../report/topology.js'),
      import('../report/topology-svg.js'),
    ]).then(([{ topologyOf }, { topologySvg }]) => topologySvg(topologyOf(buildReport(this.parts.model))));
    return this.topology;
  }

  private async asset(name: string): Promise<AwsResponse> {
    let body = this.assets.get(name);
    if (!body) {
      body = readFileSync(path.join(__dirname, 'page', name || 'index.html'));
      // The picture looks as the report's page draws it.
      if (name === 'app.css') {
        const { TOPOLOGY_STYLE } = await import('../report/topology-svg.js');
        body = Buffer.concat([body, Buffer.from(TOPOLOGY_STYLE)]);
      }
      this.assets.set(name, body);
    }
    return { status: 200, headers: { 'content-type': ASSETS[name], ...PAGE_HEADERS }, body };
  }

  private events(): AwsResponse {
    const stream = new PassThrough();
    this.streams.add(stream);
    stream.write(
      `retry: 1000\ndata: ${JSON.stringify({ invocations: this.parts.history.size, journeys: [] })}\n\n`,
    );
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' },
      stream,
      closed: () => {
        this.streams.delete(stream);
        stream.destroy();
      },
    };
  }

  private sendUpdate(): void {
    this.pendingUpdate = false;
    this.lastUpdateAt = this.parts.uiClock.now();
    const message = `data: ${JSON.stringify({ invocations: this.parts.history.size, journeys: [...this.touched] })}\n\n`;
    this.touched.clear();
    for (const stream of this.streams) stream.write(message);
  }
}

function json(status: number, body: unknown): AwsResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: JSON.stringify(body),
  };
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(`No ${what}`);
  return value;
}

function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString() || '{}') as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new BadRequest('The body is not a JSON object');
}
