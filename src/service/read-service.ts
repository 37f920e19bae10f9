import { recursiveLoopOf } from './recursive-loop';
import { ConfigError } from '../errors';
import type { RawService } from '../host';
import { providerSchemas, readRestApiSettings } from './api-gateway';
import { parseArn } from './arn';
import { readBuildSettings } from './build-settings';
import { readEmulateSettings } from './emulate-settings';
import { eventInvokeConfigs } from './event-invoke-configs';
import { parseEvent } from './events';
import { parseUrl } from './events/api';
import type { EventContext } from './events/context';
import type { FunctionModel, ServiceModel } from './model';
import { ConfigReader } from './reader';
import { resolveReference, type Catalog } from './references';
import { describe, evaluate, type IntrinsicScope } from './intrinsics';
import { layersOf, readLayers } from './layers';
import { normalizeLogicalName } from './naming';
import { stackResources } from './plugin-resources';
import { readResources } from './resources';
import { isObject } from './values';

/** The account id every local ARN carries. */
export const LOCAL_ACCOUNT_ID = '000000000000';

// The framework's function defaults (lib/plugins/aws/package/compile/functions.js).
const DEFAULT_TIMEOUT = 6;
const DEFAULT_MEMORY_SIZE = 1024;
const DEFAULT_RUNTIME = 'nodejs16.x';
// Lambda's async defaults.
const DEFAULT_ASYNC_RETRIES = 2;
const DEFAULT_EVENT_AGE = 21600;

export interface ServiceLocation {
  stage: string;
  region: string;
  serviceDir: string;
  /** `--account-id`, over `custom.emulate.accountId`. */
  accountId?: string;
}

/**
 * The only reader of `serverless.service`: turns the framework's resolved configuration into the
 * typed ServiceModel. Throws ConfigError naming the function, event and key of anything malformed.
 */
export function readService(raw: RawService, location: ServiceLocation): ServiceModel {
  checkAwsProvider(raw);
  const { stage, region } = location;
  const emulate = readEmulateSettings(
    new ConfigReader('custom.emulate', raw.custom?.emulate, 'custom.emulate'),
  );
  const accountId = location.accountId ?? emulate.accountId ?? LOCAL_ACCOUNT_ID;
  const provider = new ConfigReader('provider', raw.provider, 'the provider');
  const rawFunctions = Object.entries(raw.functions ?? {});
  const functionNames = new Map(
    rawFunctions.map(([key, fn]) => [key, deployedName(raw.service, stage, key, fn)]),
  );
  const functionLogicalIds = new Map(
    [...functionNames].map(([key, name]) => [`${normalizeLogicalName(key)}LambdaFunction`, name]),
  );
  const stack = stackResources(raw);
  const resources = readResources(
    stack,
    { region, account: accountId, stackName: `${raw.service}-${stage}` },
    functionLogicalIds,
  );
  const invokeConfigs = eventInvokeConfigs(stack, resources.scope);
  const layers = readLayers(raw.layers, location.serviceDir);
  const catalog: Catalog = {
    resources,
    functions: functionNames,
    functionLogicalIds,
    implicit: implicitResources(rawFunctions.map(([, fn]) => fn)),
  };
  const httpApi = provider.child('httpApi');
  const providerSettings: EventContext['provider'] = {
    httpApiPayload: httpApi.oneOf('payload', ['1.0', '2.0'] as const) ?? '2.0',
    httpApiAuthorizers: isObject(httpApi.raw('authorizers'))
      ? (httpApi.raw('authorizers') as Record<string, unknown>)
      : {},
    websocketRouteSelection:
      provider.string('websocketsApiRouteSelectionExpression') ?? '$request.body.action',
    restSchemas: providerSchemas(provider),
    s3Buckets: isObject(provider.raw('s3')) ? (provider.raw('s3') as Record<string, unknown>) : {},
  };
  const functions = rawFunctions.map(([key, fn]): FunctionModel => {
    const r = new ConfigReader(`functions.${key}`, fn, `function "${key}"`);
    // A function's own httpApi.payload wins over the provider's (the framework's http-api.js does the same).
    const payload = r.child('httpApi').oneOf('payload', ['1.0', '2.0'] as const);
    const context = (index: number): EventContext => ({
      index,
      catalog,
      provider: payload ? { ...providerSettings, httpApiPayload: payload } : providerSettings,
      place: { region, account: accountId },
    });
    const events = (r.list('events') ?? []).map((event, index) => parseEvent(event, key, context(index)));
    const destinations = r.child('destinations');
    // The function's own settings, else its AWS::Lambda::EventInvokeConfig resource's.
    const invokeConfig = invokeConfigs.get(functionNames.get(key) ?? key);
    const fromStack = (value: unknown) =>
      value === undefined ? undefined : resolveReference(value, catalog);
    const target = (d: ConfigReader) => {
      const value = typeof d.value === 'string' ? d.value : d.raw('arn');
      if (value === undefined || value === null) return undefined;
      return resolveReference(
        value,
        catalog,
        d.oneOf('type', ['function', 'sns', 'sqs', 'eventBus'] as const),
      );
    };
    const url = r.raw('url');
    return {
      key,
      name: functionNames.get(key) ?? key,
      handler: r.string('handler'),
      runtime: r.string('runtime') ?? provider.string('runtime') ?? DEFAULT_RUNTIME,
      timeout:
        r.number('timeout', { min: 1, max: 900 }) ??
        provider.number('timeout', { min: 1, max: 900 }) ??
        DEFAULT_TIMEOUT,
      memorySize:
        r.number('memorySize', { min: 128, max: 10240 }) ??
        provider.number('memorySize', { min: 128, max: 10240 }) ??
        DEFAULT_MEMORY_SIZE,
      environment: {
        ...environmentOf(provider.raw('environment'), resources.scope),
        ...environmentOf(r.raw('environment'), resources.scope),
      },
      reservedConcurrency: r.number('reservedConcurrency', { min: 0, max: Number.MAX_SAFE_INTEGER }),
      maximumRetryAttempts:
        r.number('maximumRetryAttempts', { min: 0, max: 2 }) ??
        invokeConfig?.maximumRetryAttempts ??
        DEFAULT_ASYNC_RETRIES,
      maximumEventAge:
        r.number('maximumEventAge', { min: 60, max: 21600 }) ??
        invokeConfig?.maximumEventAge ??
        DEFAULT_EVENT_AGE,
      destinations: {
        onSuccess: target(destinations.child('onSuccess')) ?? fromStack(invokeConfig?.onSuccess),
        onFailure: target(destinations.child('onFailure')) ?? fromStack(invokeConfig?.onFailure),
      },
      onError: r.has('onError') ? resolveReference(r.raw('onError'), catalog, 'sns') : undefined,
      layers: layersOf(r, provider, layers, { region, scope: resources.scope }),
      recursiveLoop: recursiveLoopOf(
        r,
        key,
        `${normalizeLogicalName(key)}LambdaFunction`,
        stack,
        emulate.functions.get(key),
      ),
      url:
        url === undefined || url === null || url === false
          ? undefined
          : parseUrl(r.child('url'), context(events.length)),
      events,
      authorizes: [],
    };
  });
  addAuthorizerSources(functions);
  for (const key of emulate.functions.keys()) {
    if (!functionNames.has(key)) {
      new ConfigReader('custom.emulate.functions', undefined, 'custom.emulate').fail(
        key,
        `names no function of this service (its functions: ${[...functionNames.keys()].join(', ')})`,
      );
    }
  }
  return {
    service: raw.service,
    stage,
    region,
    accountId,
    serviceDir: location.serviceDir,
    functions,
    layers,
    build: readBuildSettings(raw),
    resources,
    emulate,
    api: {
      binaryMediaTypes: provider.child('apiGateway').strings('binaryMediaTypes'),
      httpApiCors: httpApi.raw('cors') ?? undefined,
      rest: readRestApiSettings(provider, stackResources(raw)),
    },
  };
}

/** Only an AWS service can be read: another cloud's events look like AWS's (`http`) but mean other things. */
export function checkAwsProvider(raw: RawService): void {
  const name = raw.provider?.name;
  if (name === 'aws') return;
  throw new ConfigError(
    `provider ${JSON.stringify(name)} is not supported: serverless-emulate reports on and emulates AWS services only (provider.name: aws)`,
    'EMULATE_UNSUPPORTED_PROVIDER',
  );
}

/** Gives each authorizer function the routes it protects, as sources of type `authorizer`. */
function addAuthorizerSources(functions: FunctionModel[]): void {
  const byKey = new Map(functions.map((fn) => [fn.key, fn]));
  for (const fn of functions) {
    for (const event of fn.events) {
      if (event.type !== 'http' && event.type !== 'httpApi' && event.type !== 'websocket') continue;
      const authorizer = event.authorizer?.functionKey ? byKey.get(event.authorizer.functionKey) : undefined;
      if (!authorizer || !event.authorizer) continue;
      const route = event.type === 'websocket' ? event.route : `${event.method} ${event.path}`;
      const index = authorizer.events.length + (authorizer.url ? 1 : 0) + authorizer.authorizes.length;
      authorizer.authorizes.push({
        type: 'authorizer',
        index,
        api: event.type,
        route,
        protects: fn.key,
        authorizerType: event.authorizer.type,
      });
    }
  }
}

function deployedName(service: string, stage: string, key: string, fn: Record<string, unknown>): string {
  return typeof fn?.name === 'string' ? fn.name : `${service}-${stage}-${key}`;
}

/** Topics, buckets and buses that events create by name, without a resource. */
function implicitResources(functions: Array<Record<string, unknown>>): Catalog['implicit'] {
  const implicit: Catalog['implicit'] = { sns: new Set(), s3: new Set(), eventBus: new Set() };
  const events = functions.flatMap((fn) => (Array.isArray(fn?.events) ? fn.events : []));
  for (const event of events.filter(isObject)) {
    const named = (value: unknown, key: string) => (isObject(value) ? value[key] : value);
    const add = (set: Set<string>, value: unknown) => {
      if (typeof value === 'string' && !parseArn(value)) set.add(value);
    };
    add(implicit.sns, isObject(event.sns) && event.sns.arn === undefined ? event.sns.topicName : event.sns);
    add(implicit.s3, named(event.s3, 'bucket'));
    add(implicit.eventBus, isObject(event.eventBridge) ? event.eventBridge.eventBus : undefined);
  }
  return implicit;
}

/** Environment values as the function would see them: intrinsics resolved to local names. */
function environmentOf(value: unknown, scope: IntrinsicScope): Record<string, string> {
  if (!isObject(value)) return {};
  const text = (v: unknown) =>
    typeof v === 'object' && v !== null ? (evaluate(v, scope) ?? describe(v)) : String(v);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]));
}
