import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import type { FunctionModel, HttpEvent } from '../../service/model';
import { ConfigReader } from '../../service/reader';
import { restResponses } from './gateway-responses';
import type { PathParameters } from './path-table';
import { headerOf, mediaTypeOf, parseQuery } from './request';
import type { HttpResult, IncomingRequest } from './types';

/**
 * A REST method's request validator, as the framework sets one up for `request.parameters` marked
 * required or `request.schemas` (validating both): required parameters must be present and not blank
 * (400 BAD_REQUEST_PARAMETERS, `Missing required request parameters: [a, b]`), and a body whose content
 * type has a model must satisfy its JSON Schema draft 4 (400 BAD_REQUEST_BODY, `Invalid request body`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */

export type RequestValidator = (
  request: IncomingRequest,
  pathParameters: PathParameters | null,
) => HttpResult | undefined;

// One compiler for every route: ajv caches compiled schemas by their content.
let ajv: Ajv | undefined;
const compiler = () => (ajv ??= new Ajv({ allErrors: false, strict: false, validateSchema: true }));

function compileSchemas(fn: FunctionModel, event: HttpEvent): Map<string, ValidateFunction> {
  const reader = new ConfigReader(
    `functions.${fn.key}.events.${event.index}.http.request.schemas`,
    undefined,
    `function "${fn.key}"`,
  );
  const validators = new Map<string, ValidateFunction>();
  for (const [contentType, schema] of Object.entries(event.request.schemas)) {
    try {
      validators.set(contentType, compiler().compile(schema));
    } catch (error) {
      reader.fail(
        contentType,
        `is not a JSON Schema (draft 4) API Gateway accepts: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return validators;
}

function parseBody(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

export function requestValidator(fn: FunctionModel, event: HttpEvent): RequestValidator | undefined {
  const { required } = event.request;
  const schemas = compileSchemas(fn, event);
  if (
    schemas.size === 0 &&
    required.querystring.length + required.header.length + required.path.length === 0
  ) {
    return undefined;
  }
  return (request, pathParameters) => {
    const query = required.querystring.length > 0 ? parseQuery(request.rawQuery) : {};
    const blank = (value: string | undefined) => value === undefined || value.trim() === '';
    const missing = [
      ...required.path.filter((name) => blank(pathParameters?.[name])),
      ...required.querystring.filter((name) => blank(query[name]?.at(-1))),
      ...required.header.filter((name) => blank(headerOf(request.rawHeaders, name.toLowerCase()))),
    ];
    if (missing.length > 0) return restResponses.missingParameters(missing);
    const validate = schemas.get(
      mediaTypeOf(headerOf(request.rawHeaders, 'content-type')) || 'application/json',
    );
    if (!validate) return undefined;
    const body = parseBody(request.body);
    if (!body.ok || !validate(body.value))
      return restResponses.invalidBody(validate.errors ? compiler().errorsText(validate.errors) : 'not JSON');
    return undefined;
  };
}
