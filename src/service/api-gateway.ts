import type { ApiKeyModel, GatewayResponseModel, RestApiSettings, UsagePlanModel } from './model';
import { ConfigReader } from './reader';
import { isObject } from './values';

/**
 * The REST API's own settings: `provider.apiGateway.apiKeys` and `usagePlan` as the framework compiles
 * them (lib/plugins/aws/package/compile/events/api-gateway/lib/api-keys.js, usage-plan.js,
 * usage-plan-keys.js), and the `AWS::ApiGateway::GatewayResponse` resources of the stack.
 */

const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

/** A reader of one entry of a list (ConfigReader.child reads object keys only). */
const entryOf = (list: ConfigReader, index: number, value: unknown) =>
  new ConfigReader(`${list.path}.${index}`, value, 'the provider');
const HEADER_PARAMETER = 'gatewayresponse.header.';

function throttleOf(r: ConfigReader): UsagePlanModel['throttle'] {
  const throttle = r.child('throttle');
  if (!throttle.isObject) return undefined;
  const rateLimit = throttle.number('rateLimit', { min: 0, max: Number.MAX_SAFE_INTEGER });
  const burstLimit = throttle.number('burstLimit', { min: 0, max: Number.MAX_SAFE_INTEGER });
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  // API Gateway takes a plan without one of them as unlimited in it.
  return { rateLimit: rateLimit ?? Infinity, burstLimit: burstLimit ?? Infinity };
}

function quotaOf(r: ConfigReader): UsagePlanModel['quota'] {
  const quota = r.child('quota');
  if (!quota.isObject) return undefined;
  const limit = quota.number('limit', { min: 0, max: Number.MAX_SAFE_INTEGER });
  if (limit === undefined) return undefined;
  return {
    limit,
    period: quota.oneOf('period', PERIODS) ?? quota.fail('period', `is required (${PERIODS.join(', ')})`),
    offset: quota.number('offset', { min: 0, max: 31 }) ?? 0,
  };
}

function planOf(name: string, r: ConfigReader): UsagePlanModel {
  return { name, throttle: throttleOf(r), quota: quotaOf(r) };
}

/** `usagePlan: {quota, throttle}` is the plan `default`; a list is `[{ <name>: {quota, throttle} }]`. */
function usagePlansOf(apiGateway: ConfigReader): UsagePlanModel[] {
  const value = apiGateway.raw('usagePlan');
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    return value.map((entry, i) => {
      const item = entryOf(apiGateway.child('usagePlan'), i, entry);
      if (!isObject(entry) || Object.keys(entry).length !== 1)
        item.fail(undefined, 'must be { <plan name>: { quota, throttle } }');
      const [name] = Object.keys(entry);
      return planOf(name, item.child(name));
    });
  }
  if (!isObject(value)) apiGateway.fail('usagePlan', 'must be { quota, throttle } or a list of named plans');
  return [planOf('default', apiGateway.child('usagePlan'))];
}

function keyOf(r: ConfigReader, usagePlans: string[]): ApiKeyModel {
  if (typeof r.value === 'string') return { name: r.value, enabled: true, usagePlans };
  if (!r.isObject) r.fail(undefined, 'must be a key name or { name, value }');
  return {
    name: r.requiredString('name', 'the API key name'),
    value: r.string('value'),
    enabled: r.boolean('enabled', true),
    usagePlans,
  };
}

/**
 * `apiKeys: [name | {name, value}]`, all in every plan (the framework's `default` plan when there is no
 * `usagePlan`), or, with named plans, `[{ <plan>: [keys] }]` as well.
 */
function apiKeysOf(apiGateway: ConfigReader, plans: UsagePlanModel[]): ApiKeyModel[] {
  const list = apiGateway.list('apiKeys');
  if (!list) return [];
  const planNames = plans.map((plan) => plan.name);
  const everyPlan = planNames.length > 0 ? planNames : ['default'];
  const keys = apiGateway.child('apiKeys');
  return list.flatMap((entry, i) => {
    const item = entryOf(keys, i, entry);
    const planName = isObject(entry) && Object.keys(entry).length === 1 ? Object.keys(entry)[0] : undefined;
    if (planName !== undefined && planNames.includes(planName)) {
      const planKeys = item.child(planName);
      return (item.list(planName) ?? []).map((key, j) => keyOf(entryOf(planKeys, j, key), [planName]));
    }
    return [keyOf(item, everyPlan)];
  });
}

/** One `AWS::ApiGateway::GatewayResponse`; its `RestApiId` is taken to be the service's API. */
function gatewayResponseOf(id: string, properties: Record<string, unknown>): [string, GatewayResponseModel] {
  const r = new ConfigReader(`resources.Resources.${id}.Properties`, properties, `the resource "${id}"`);
  const type = r.requiredString('ResponseType', 'e.g. UNAUTHORIZED, DEFAULT_4XX');
  const headers: Record<string, string> = {};
  const parameters = r.raw('ResponseParameters');
  if (isObject(parameters)) {
    for (const [key, value] of Object.entries(parameters)) {
      if (!key.startsWith(HEADER_PARAMETER) || typeof value !== 'string') {
        return r.fail(
          `ResponseParameters.${key}`,
          `must be gatewayresponse.header.<name>: "'value'" or a request parameter`,
        );
      }
      headers[key.slice(HEADER_PARAMETER.length)] = value;
    }
  }
  const templates = r.raw('ResponseTemplates');
  if (
    templates !== undefined &&
    (!isObject(templates) || !Object.values(templates).every((t) => typeof t === 'string'))
  ) {
    r.fail('ResponseTemplates', 'must be Velocity templates by content type');
  }
  return [
    type.toUpperCase(),
    {
      id,
      statusCode: r.number('StatusCode', { min: 100, max: 599 }),
      headers,
      templates: Object.fromEntries(
        Object.entries((templates ?? {}) as Record<string, string>).map(([t, v]) => [t.toLowerCase(), v]),
      ),
    },
  ];
}

export function readRestApiSettings(
  provider: ConfigReader,
  resources: Record<string, unknown>,
): RestApiSettings {
  const apiGateway = provider.child('apiGateway');
  const usagePlans = usagePlansOf(apiGateway);
  const gatewayResponses = new Map<string, GatewayResponseModel>();
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::ApiGateway::GatewayResponse') continue;
    const [type, response] = gatewayResponseOf(id, isObject(resource.Properties) ? resource.Properties : {});
    gatewayResponses.set(type, response);
  }
  return {
    apiKeys: apiKeysOf(apiGateway, usagePlans),
    usagePlans,
    gatewayResponses,
    endpointType: endpointTypeOf(provider),
  };
}

const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'] as const;

/** `provider.endpointType`, in any case as the framework reads it. */
function endpointTypeOf(provider: ConfigReader): RestApiSettings['endpointType'] {
  return provider.oneOfIgnoringCase('endpointType', ENDPOINT_TYPES) ?? 'EDGE';
}

/** `provider.apiGateway.request.schemas`: the models `request.schemas` may name. */
export function providerSchemas(provider: ConfigReader): Record<string, unknown> {
  const schemas = provider.child('apiGateway').child('request').raw('schemas');
  return isObject(schemas) ? schemas : {};
}
