import type { Clock } from '../../../clock';
import type { Invoker } from '../../../lambda/types';
import type {
  AuthorizerRef,
  JwtAuthorizerRef,
  LambdaAuthorizerRef,
  ServiceModel,
} from '../../../service/model';
import { signingKeys } from './jwks';
import { JwtAuthorizer } from './jwt-authorizer';
import { LambdaAuthorizer } from './lambda-authorizer';

/**
 * The authorizers of one front, each built once and shared by the routes that name it (API Gateway
 * keeps one authorizer, and one cache, per name and API). JWT authorizers find their signing keys in
 * `prepare()`, before the front listens.
 */

export type ApiKind = 'rest' | 'httpApi' | 'websocket';

export interface AuthorizerDeps {
  invoker: Invoker;
  clock: Clock;
  /** `custom.emulate.authorizers.<name>.jwks`, by authorizer name. */
  jwks: ReadonlyMap<string, string>;
  serviceDir: string;
}

/** How the start-up listing names a route's authorizer. */
export function authorizerText(ref: AuthorizerRef): string {
  switch (ref.type) {
    case 'AWS_IAM':
      return 'AWS_IAM';
    case 'COGNITO_USER_POOLS':
      return `Cognito authorizer ${ref.name}`;
    case 'EXTERNAL':
      return `authorizer ${ref.name} of another stack, not emulated`;
    default:
      return `${ref.type} authorizer ${ref.name}`;
  }
}

/**
 * Every authorizer the service's HTTP routes name, by API and name. Routes that name one authorizer with
 * different settings make one `AWS::ApiGateway::Authorizer` whose properties the framework `_.merge`s
 * in event order: the settings a later route gives win, for every route.
 */
function declaredAuthorizers(service: ServiceModel): Map<string, AuthorizerRef> {
  const refs = new Map<string, AuthorizerRef>();
  for (const fn of service.functions) {
    for (const event of fn.events) {
      if ((event.type !== 'http' && event.type !== 'httpApi') || !event.authorizer) continue;
      const key = `${event.type === 'http' ? 'rest' : 'httpApi'}:${event.authorizer.name}`;
      const defined = Object.entries(event.authorizer).filter(([, value]) => value !== undefined);
      refs.set(key, { ...refs.get(key), ...Object.fromEntries(defined) } as AuthorizerRef);
    }
  }
  return refs;
}

export class Authorizers {
  private readonly lambdas = new Map<string, LambdaAuthorizer>();
  private readonly jwts = new Map<string, JwtAuthorizer>();

  private readonly declared: Map<string, AuthorizerRef>;

  constructor(
    service: ServiceModel,
    private readonly deps: AuthorizerDeps,
  ) {
    this.declared = declaredAuthorizers(service);
  }

  /** Finds every JWT authorizer's keys; returns the warnings to print (at most one). */
  async prepare(): Promise<string[]> {
    const { clock, jwks, serviceDir } = this.deps;
    const claimsOnly: string[] = [];
    await Promise.all(
      [...this.declared].map(async ([key, ref]) => {
        if (ref.type !== 'JWT' && ref.type !== 'COGNITO_USER_POOLS') return;
        const setting = `custom.emulate.authorizers.${ref.name}.jwks`;
        const keys = await signingKeys(ref.issuer, jwks.get(ref.name), serviceDir, setting);
        if (!keys.resolve) claimsOnly.push(ref.name);
        this.jwts.set(key, new JwtAuthorizer(ref, keys, clock));
      }),
    );
    if (claimsOnly.length === 0) return [];
    return [
      `! JWT authorizers ${claimsOnly.sort().join(', ')}: no JWKS found at the issuer; tokens are checked ` +
        'on their claims only, signatures are not verified (set custom.emulate.authorizers.<name>.jwks ' +
        'to a JWKS file or URL)',
    ];
  }

  lambda(api: ApiKind, ref: LambdaAuthorizerRef, timeoutMs: number): LambdaAuthorizer {
    const key = `${api}:${ref.name}`;
    let authorizer = this.lambdas.get(key);
    if (!authorizer) {
      const merged = this.declared.get(key);
      const settings = merged && 'function' in merged ? merged : ref;
      authorizer = new LambdaAuthorizer(settings, this.deps.invoker, this.deps.clock, timeoutMs);
      this.lambdas.set(key, authorizer);
    }
    return authorizer;
  }

  jwt(api: 'rest' | 'httpApi', ref: JwtAuthorizerRef): JwtAuthorizer {
    const authorizer = this.jwts.get(`${api}:${ref.name}`);
    if (!authorizer) throw new Error(`JWT authorizer ${ref.name} was not prepared`);
    return authorizer;
  }
}
