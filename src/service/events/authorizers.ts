import { parseArn } from '../arn';
import { describe, evaluate } from '../intrinsics';
import type {
  AuthorizerRef,
  IamAuthorizerRef,
  IdentitySource,
  JwtAuthorizerRef,
  LambdaAuthorizerRef,
} from '../model';
import { ConfigReader } from '../reader';
import { resolveReference, type Catalog } from '../references';

/**
 * A route's `authorizer` as the framework compiles it (serverless 3): REST `http` events in
 * api-gateway/lib/validate.js `getAuthorizer` and authorizers.js, HTTP API in http-api.js (routes name
 * one of `provider.httpApi.authorizers`), WebSocket in websockets/lib/validate.js and authorizers.js
 * (always REQUEST, identity `route.request.header.Auth` by default, no cache).
 */

const IAM: IamAuthorizerRef = { name: 'aws_iam', type: 'AWS_IAM' };
const AUTHORIZATION_HEADER: IdentitySource = { from: 'header', name: 'Authorization' };
/** API Gateway's default when the framework passes no AuthorizerResultTtlInSeconds. */
const DEFAULT_REST_TTL = 300;
const TTL = { min: 0, max: 3600 };
const COGNITO_ARN = /^arn:[a-zA-Z-]*:cognito-idp/;

/** The framework's `extractAuthorizerNameFromArn`: the last dash-separated word of the function name. */
const nameFromArn = (arn: string) => arn.split(':').pop()?.split('-').pop() ?? arn;

const SOURCE =
  /^(?:method\.request\.|\$request\.|route\.request\.)(header|querystring)\.(.+)$|^\$?(context|stageVariables)\.(.+)$/;

/** `a, b` or a list (REST writes several identity sources comma-separated), each parsed. */
function identitySources(r: ConfigReader): IdentitySource[] {
  return r
    .strings('identitySource')
    .flatMap((source) => source.split(','))
    .map((source) => source.trim())
    .filter((source) => source !== '')
    .map((source) => {
      const match = SOURCE.exec(source);
      if (!match) {
        r.fail(
          'identitySource',
          `"${source}" is no identity source (method.request.header.X, $request.querystring.x, route.request.header.X, context.x, stageVariables.x)`,
        );
      }
      const [, where, name, variables, variable] = match;
      return where
        ? { from: where as 'header' | 'querystring', name }
        : { from: variables as 'context' | 'stageVariables', name: variable };
    });
}

/** The function a Lambda authorizer invokes, by function key, deployed name, ARN or intrinsic. */
function lambdaTarget(
  r: ConfigReader,
  key: string | undefined,
  value: unknown,
  catalog: Catalog,
): { function: string; functionKey?: string } {
  const reference = resolveReference(value, catalog, 'function');
  if (typeof value === 'string' && !value.includes(':') && reference.status !== 'service') {
    r.fail(key, `names no function of the service: "${value}"`);
  }
  const functionKey =
    reference.status === 'service'
      ? [...catalog.functions].find(([, name]) => name === reference.name)?.[0]
      : undefined;
  return { function: reference.arn ?? reference.name ?? reference.text, functionKey };
}

/** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, the `iss` of the pool's tokens. */
function cognitoIssuer(value: unknown, catalog: Catalog): string | undefined {
  const text = typeof value === 'string' ? value : evaluate(value, catalog.resources.scope);
  const arn = text === undefined ? undefined : parseArn(text);
  const poolId = arn?.resource.replace(/^userpool\//, '');
  return arn && poolId ? `https://cognito-idp.${arn.region}.amazonaws.com/${poolId}` : undefined;
}

/** An `http` event's authorizer. */
export function restAuthorizer(r: ConfigReader, catalog: Catalog): AuthorizerRef | undefined {
  const { value } = r;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value.toUpperCase() === 'AWS_IAM') return IAM;
    return restLambda(r, undefined, value, value.includes(':') ? nameFromArn(value) : value, catalog);
  }
  if (!r.isObject) r.fail(undefined, 'must be a function name, an ARN, aws_iam or an object');
  const type = r.string('type')?.toUpperCase();
  if (type !== undefined && r.has('authorizerId')) {
    return { name: describe(r.raw('authorizerId')), type: 'EXTERNAL' };
  }
  if (type === 'AWS_IAM') return IAM;
  const arn = r.raw('arn');
  if (arn !== undefined && arn !== null) {
    const isCognito = type === 'COGNITO_USER_POOLS' || (typeof arn === 'string' && COGNITO_ARN.test(arn));
    if (typeof arn !== 'string' && !r.has('name')) {
      r.fail('name', 'is required when arn is not a string (the authorizer name)');
    }
    const name = r.string('name') ?? nameFromArn(arn as string);
    if (isCognito) return cognito(r, name, arn, catalog);
    return restLambda(r, 'arn', arn, name, catalog);
  }
  const name = r.string('name');
  if (name === undefined) r.fail(undefined, 'needs a name (a function of the service) or an arn');
  return restLambda(r, 'name', name, name, catalog);
}

function restLambda(
  r: ConfigReader,
  key: string | undefined,
  target: unknown,
  name: string,
  catalog: Catalog,
): LambdaAuthorizerRef {
  const type = r.oneOf('type', ['token', 'request', 'TOKEN', 'REQUEST'] as const)?.toUpperCase();
  const resultTtlInSeconds = r.number('resultTtlInSeconds', TTL) ?? DEFAULT_REST_TTL;
  const identitySource = identitySources(r);
  // validate.js: a REQUEST authorizer without cache may have no identity source; the others get one.
  if (identitySource.length === 0 && !(type === 'REQUEST' && resultTtlInSeconds === 0)) {
    identitySource.push(AUTHORIZATION_HEADER);
  }
  return {
    name,
    type: type === 'REQUEST' ? 'REQUEST' : 'TOKEN',
    ...lambdaTarget(r, key, target, catalog),
    identitySource,
    identityValidationExpression: r.string('identityValidationExpression'),
    resultTtlInSeconds,
    payloadVersion: '1.0',
    enableSimpleResponses: false,
  };
}

function cognito(r: ConfigReader, name: string, arn: unknown, catalog: Catalog): JwtAuthorizerRef {
  const identitySource = identitySources(r);
  return {
    name,
    type: 'COGNITO_USER_POOLS',
    issuer: cognitoIssuer(arn, catalog),
    audience: [],
    identitySource: identitySource.length > 0 ? identitySource : [AUTHORIZATION_HEADER],
    scopes: r.strings('scopes'),
  };
}

/** An `httpApi` event's authorizer: `{ type: aws_iam }`, or one of `provider.httpApi.authorizers` by name. */
export function httpApiAuthorizer(
  r: ConfigReader,
  declared: Record<string, unknown>,
  catalog: Catalog,
): AuthorizerRef | undefined {
  const { value } = r;
  if (value === undefined || value === null) return undefined;
  const route = typeof value === 'string' ? new ConfigReader(r.path, { name: value }, 'route') : r;
  if (!route.isObject) r.fail(undefined, 'must be an authorizer name or an object');
  const type = route.oneOf('type', ['request', 'jwt', 'aws_iam'] as const);
  if (type === 'aws_iam') return IAM;
  if (route.has('id')) return { name: describe(route.raw('id')), type: 'EXTERNAL' };
  const key = route.string('name') ?? r.fail('name', 'is required (one of provider.httpApi.authorizers)');
  if (declared[key] === undefined)
    r.fail('name', `names no authorizer of provider.httpApi.authorizers: "${key}"`);
  const a = new ConfigReader(`provider.httpApi.authorizers.${key}`, declared[key], 'the provider');
  const name = a.string('name') ?? key;
  if (a.oneOf('type', ['request', 'jwt'] as const) === 'request') {
    const functionName = a.string('functionName');
    const target = functionName ?? a.raw('functionArn');
    if (target === undefined || target === null) a.fail(undefined, 'needs functionName or functionArn');
    return {
      name,
      type: 'REQUEST',
      ...lambdaTarget(a, functionName === undefined ? 'functionArn' : 'functionName', target, catalog),
      identitySource: identitySources(a),
      resultTtlInSeconds: a.number('resultTtlInSeconds', TTL) ?? 0,
      payloadVersion: a.oneOf('payloadVersion', ['1.0', '2.0'] as const) ?? '2.0',
      enableSimpleResponses: a.boolean('enableSimpleResponses', false),
    };
  }
  const issuer = a.raw('issuerUrl');
  const identitySource = identitySources(a);
  return {
    name,
    type: 'JWT',
    issuer: typeof issuer === 'string' ? issuer : evaluate(issuer, catalog.resources.scope),
    audience: a.strings('audience'),
    // The framework then passes none; API Gateway reads the token from the Authorization header.
    identitySource: identitySource.length > 0 ? identitySource : [AUTHORIZATION_HEADER],
    scopes: route.strings('scopes'),
  };
}

/** A `websocket` event's authorizer (API Gateway runs it on `$connect`). */
export function websocketAuthorizer(r: ConfigReader, catalog: Catalog): LambdaAuthorizerRef | undefined {
  const { value } = r;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && !r.isObject)
    r.fail(undefined, 'must be a function name, an ARN or an object');
  const settings = typeof value === 'string' ? new ConfigReader(r.path, {}, 'route') : r;
  // validate.js: an ARN names the authorizer by its last part, unless the ARN is an intrinsic.
  const arn = typeof value === 'string' ? (value.includes(':') ? value : undefined) : r.raw('arn');
  const declaredName = typeof value === 'string' ? undefined : r.string('name');
  let name: string;
  let target: { function: string; functionKey?: string };
  if (arn !== undefined && arn !== null) {
    if (typeof arn !== 'string' && declaredName === undefined) {
      r.fail('name', 'is required when arn is not a string (the authorizer name)');
    }
    name = typeof arn === 'string' ? (arn.split(':').pop() ?? arn) : (declaredName as string);
    target = lambdaTarget(r, typeof value === 'string' ? undefined : 'arn', arn, catalog);
  } else {
    const key = typeof value === 'string' ? value : declaredName;
    if (key === undefined) r.fail(undefined, 'needs a name (a function of the service) or an arn');
    name = key;
    target = lambdaTarget(r, typeof value === 'string' ? undefined : 'name', key, catalog);
  }
  const identitySource = identitySources(settings);
  return {
    name,
    type: 'REQUEST',
    ...target,
    identitySource: identitySource.length > 0 ? identitySource : [{ from: 'header', name: 'Auth' }],
    resultTtlInSeconds: 0,
    payloadVersion: '1.0',
    enableSimpleResponses: false,
  };
}
