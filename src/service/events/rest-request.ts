import type { RestIntegrationResponse, RestRequestSettings } from '../model';
import type { ConfigReader } from '../reader';
import { isObject } from '../values';

/**
 * An `http` event's `request` and `response` as the framework compiles them into the method and its
 * integration (serverless 3, lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js,
 * request-validator.js, method/index.js and method/integration.js).
 */

const LOCATIONS = { querystrings: 'querystring', headers: 'header', paths: 'path' } as const;

/** validate.js `DEFAULT_STATUS_CODES`: what `integration: lambda` answers without `response.statusCodes`. */
const DEFAULT_STATUS_CODES: Record<string, string> = {
  200: '',
  400: '[\\s\\S]*\\[400\\][\\s\\S]*',
  401: '[\\s\\S]*\\[401\\][\\s\\S]*',
  403: '[\\s\\S]*\\[403\\][\\s\\S]*',
  404: '[\\s\\S]*\\[404\\][\\s\\S]*',
  422: '[\\s\\S]*\\[422\\][\\s\\S]*',
  500: '[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*',
  502: '[\\s\\S]*\\[502\\][\\s\\S]*',
  504: '([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)',
};

const PASS_THROUGH = ['NEVER', 'WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES'] as const;

const isSet = (r: ConfigReader) => r.value !== undefined && r.value !== null;

/**
 * `request.schemas` (or the older `request.schema`): per content type a schema object, `{ schema }`, the
 * name of one in `provider.apiGateway.request.schemas`, or the schema as JSON text.
 */
function schemasOf(r: ConfigReader, providerSchemas: Record<string, unknown>): Record<string, object> {
  const key = r.has('schemas') ? 'schemas' : 'schema';
  const config = r.child(key);
  if (!isSet(config)) return {};
  if (!config.isObject) r.fail(key, 'must be an object of content types, e.g. application/json: <schema>');
  const schemas: Record<string, object> = {};
  for (const [contentType, value] of Object.entries(config.value as Record<string, unknown>)) {
    const named = typeof value === 'string' ? providerSchemas[value] : undefined;
    const definition = named ?? value;
    const schema = isObject(definition) && isObject(definition.schema) ? definition.schema : definition;
    schemas[contentType.toLowerCase()] = isObject(schema)
      ? schema
      : parseSchemaText(config, contentType, schema);
  }
  return schemas;
}

function parseSchemaText(config: ConfigReader, contentType: string, value: unknown): object {
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed)) return parsed;
    } catch {
      // reported below
    }
  }
  return config.fail(
    contentType,
    `must be a JSON schema (an object, its JSON text, or the name of one in provider.apiGateway.request.schemas), got ${JSON.stringify(value)}`,
  );
}

/** method/index.js: `true`, or an object whose `required` defaults to true. */
function requiredOf(r: ConfigReader): RestRequestSettings['required'] {
  const required: RestRequestSettings['required'] = { querystring: [], header: [], path: [] };
  const parameters = r.child('parameters');
  for (const [plural, location] of Object.entries(LOCATIONS)) {
    const group = parameters.child(plural);
    if (!isSet(group)) continue;
    if (!group.isObject) parameters.fail(plural, 'must be an object of parameter names, e.g. id: true');
    for (const [name, value] of Object.entries(group.value as Record<string, unknown>)) {
      const isRequired = isObject(value)
        ? group.child(name).boolean('required', true)
        : group.boolean(name, false);
      if (isRequired) required[location].push(name);
    }
  }
  return required;
}

/** A template setting: one template (for application/json) or templates by content type. */
function templatesOf(r: ConfigReader, key: string, allowNull: boolean): Record<string, string | null> {
  const value = r.raw(key);
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') return { 'application/json': value };
  if (!isObject(value)) r.fail(key, 'must be a template, or templates by content type');
  const templates: Record<string, string | null> = {};
  for (const [contentType, template] of Object.entries(value)) {
    if (template === null && allowNull) templates[contentType.toLowerCase()] = null;
    else if (typeof template === 'string') templates[contentType.toLowerCase()] = template;
    else r.fail(`${key}.${contentType}`, `must be a Velocity template, got ${JSON.stringify(template)}`);
  }
  return templates;
}

const stringsOf = (templates: Record<string, string | null>) =>
  Object.fromEntries(
    Object.entries(templates).filter((entry): entry is [string, string] => entry[1] !== null),
  );

function headersOf(r: ConfigReader, key: string): Record<string, string> {
  const value = r.raw(key);
  if (value === undefined || value === null) return {};
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    r.fail(key, `must be an object of header names and values, e.g. Content-Type: "'text/html'"`);
  }
  return value as Record<string, string>;
}

export function restRequest(
  event: ConfigReader,
  providerSchemas: Record<string, unknown>,
  integration: string,
): RestRequestSettings {
  const r = event.child('request');
  if (isSet(r) && !r.isObject)
    event.fail('request', 'must be an object (schemas, parameters, template, passThrough)');
  const lambda = integration === 'lambda';
  return {
    schemas: schemasOf(r, providerSchemas),
    required: requiredOf(r),
    templates: lambda ? templatesOf(r, 'template', true) : {},
    passThrough: r.oneOf('passThrough', PASS_THROUGH) ?? 'NEVER',
  };
}

/** validate.js `getResponse` and integration.js `getIntegrationResponses`, for `integration: lambda`. */
export function restResponse(event: ConfigReader, integration: string): RestIntegrationResponse[] {
  if (integration !== 'lambda') return [];
  const r = event.child('response');
  if (isSet(r) && !r.isObject) event.fail('response', 'must be an object (headers, template, statusCodes)');
  const headers = headersOf(r, 'headers');
  const template = stringsOf(templatesOf(r, 'template', false));
  const codes = r.child('statusCodes');
  if (isSet(codes) && !codes.isObject)
    r.fail('statusCodes', 'must be an object of status codes, e.g. 201: { pattern: "" }');
  const custom = isSet(codes);
  const configured = custom
    ? Object.keys(codes.value as Record<string, unknown>)
    : Object.keys(DEFAULT_STATUS_CODES);
  const responses = configured.map((code): RestIntegrationResponse => {
    const c = codes.child(code);
    const statusCode = Number(code);
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      codes.fail(code, 'must be an HTTP status code (100 to 599)');
    }
    return {
      statusCode,
      pattern: custom ? (c.string('pattern') ?? '') : DEFAULT_STATUS_CODES[code],
      headers: { ...headers, ...headersOf(c, 'headers') },
      templates: { ...template, ...stringsOf(templatesOf(c, 'template', false)) },
    };
  });
  if (!responses.some((response) => response.pattern === '')) {
    responses.push({ statusCode: 200, pattern: '', headers, templates: template });
  }
  return responses;
}
