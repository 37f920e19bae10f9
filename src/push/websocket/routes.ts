import { sourceInvocation, type SourceInvocation } from '../../classify/origin';
import type { FunctionModel, LambdaAuthorizerRef, ServiceModel, WebsocketEvent } from '../../service/model';
import { compileSelection, type Selector } from './selection';

/**
 * The service's WebSocket API: one route per `websocket` event, keyed by its route (`$connect`,
 * `$disconnect`, `$default` or a custom key), and how a message picks one. Routing rules:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
 * (a JSON message goes to the route its selection expression names; a message that is not JSON, or whose
 * key names no route, goes to `$default`).
 */

export interface WebsocketRoute {
  key: string;
  fn: FunctionModel;
  /** Its invocations' origin (`websocket`, `<route>`) and invocation type, classified once. */
  invocation: SourceInvocation;
  /** `routeResponseSelectionExpression: $default`: the function's `body` goes back to the client. */
  respond: boolean;
  /** The Lambda authorizer API Gateway runs before `$connect`. */
  authorizer?: LambdaAuthorizerRef;
}

const isPredefined = (key: string) => key.startsWith('$');

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export class WebsocketRoutes {
  readonly connect?: WebsocketRoute;
  readonly disconnect?: WebsocketRoute;
  readonly fallback?: WebsocketRoute;
  private readonly all = new Map<string, WebsocketRoute>();
  private readonly custom = new Map<string, WebsocketRoute>();
  private readonly selector: Selector;

  constructor(service: ServiceModel) {
    let expression = '$request.body.action';
    for (const fn of service.functions) {
      for (const event of fn.events) {
        if (event.type !== 'websocket') continue;
        expression = event.routeSelectionExpression;
        // CloudFormation refuses two integrations on one route key; the first one defined is kept.
        if (!this.all.has(event.route)) this.all.set(event.route, routeOf(fn, event));
      }
    }
    this.selector = compileSelection(expression);
    this.connect = this.all.get('$connect');
    this.disconnect = this.all.get('$disconnect');
    this.fallback = this.all.get('$default');
    for (const [key, route] of this.all) if (!isPredefined(key)) this.custom.set(key, route);
  }

  /** Every route key, in the order the service defines them. */
  keys(): string[] {
    return [...this.all.keys()];
  }

  /** The route a message goes to, or undefined when it has none and there is no `$default`. */
  select(body: string): WebsocketRoute | undefined {
    if (this.custom.size > 0) {
      const parsed = parseJson(body);
      if (parsed.ok) {
        const key = this.selector(parsed.value);
        const route = key === undefined ? undefined : this.custom.get(key);
        if (route) return route;
      }
    }
    return this.fallback;
  }
}

const routeOf = (fn: FunctionModel, event: WebsocketEvent): WebsocketRoute => ({
  key: event.route,
  fn,
  invocation: sourceInvocation(event, event.route),
  respond: event.routeResponseSelectionExpression === '$default',
  authorizer: event.route === '$connect' ? event.authorizer : undefined,
});
