import type { GatewayResponseModel } from '../../service/model';
import { ConfigReader } from '../../service/reader';
import { jsonPath } from './json-path';
import { headerOf, mediaTypeOf, parseQuery } from './request';
import { inputVariable, templateFor } from './template-variables';
import type { HttpResult, IncomingRequest } from './types';
import { compileTemplate, type Template } from './velocity';

/**
 * The service's `AWS::ApiGateway::GatewayResponse` resources over the REST API's own answers: the one of
 * the answer's type, else DEFAULT_4XX or DEFAULT_5XX by its status, sets the status code (`StatusCode`),
 * adds headers (`gatewayresponse.header.*`: `'static'`, `method.request.header|querystring|path.*`,
 * `context.*`) and renders the body from the template for the request's Accept type (else
 * application/json) with `$context.error.message`, `messageString`, `responseType` and
 * `validationErrorString`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */

interface CompiledResponse {
  statusCode?: number;
  headers: Array<[string, string]>;
  templates: Map<string, Template>;
}

/** What the templates see of the request: `$context` (without `error`, which each answer adds). */
export interface ResponseScope {
  request: IncomingRequest;
  pathParameters: Record<string, string> | null;
  context: Record<string, unknown>;
}

const STATIC_VALUE = /^'(.*)'$/s;
const REQUEST_VALUE = /^method\.request\.(header|querystring|path)\.(.+)$/;

function valueOf(
  expression: string,
  scope: ResponseScope,
  context: Record<string, unknown>,
): string | undefined {
  const quoted = STATIC_VALUE.exec(expression);
  if (quoted) return quoted[1];
  const parameter = REQUEST_VALUE.exec(expression);
  if (parameter) {
    const [, location, name] = parameter;
    if (location === 'header') return headerOf(scope.request.rawHeaders, name.toLowerCase());
    if (location === 'querystring') return parseQuery(scope.request.rawQuery)[name]?.at(-1);
    return scope.pathParameters?.[name];
  }
  if (expression.startsWith('context.')) {
    const value = jsonPath(context, `$.${expression.slice('context.'.length)}`);
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

export class GatewayResponseOverrides {
  private readonly responses = new Map<string, CompiledResponse>();

  /** Compiles the templates once; one API Gateway cannot render is a ConfigError naming its resource. */
  constructor(models: ReadonlyMap<string, GatewayResponseModel>) {
    for (const [type, model] of models) {
      const reader = new ConfigReader(
        `resources.Resources.${model.id}.Properties.ResponseTemplates`,
        undefined,
        `the resource "${model.id}"`,
      );
      const templates = new Map<string, Template>();
      for (const [contentType, template] of Object.entries(model.templates)) {
        try {
          templates.set(contentType, compileTemplate(template));
        } catch (error) {
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          reader.fail(contentType, `is not a Velocity template API Gateway can render: ${reason}`);
        }
      }
      this.responses.set(type, {
        statusCode: model.statusCode,
        headers: Object.entries(model.headers),
        templates,
      });
    }
  }

  get size(): number {
    return this.responses.size;
  }

  apply(result: HttpResult, scope: ResponseScope): HttpResult {
    const tag = result.gatewayResponse;
    if (!tag) return result;
    const response =
      this.responses.get(tag.type) ??
      this.responses.get(result.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    if (!response) return result;
    const context = {
      ...scope.context,
      error: {
        message: tag.message,
        messageString: JSON.stringify(tag.message),
        responseType: tag.type,
        validationErrorString: tag.validationError ?? '',
      },
    };
    const chosen = templateFor(response.templates, mediaTypeOf(headerOf(scope.request.rawHeaders, 'accept')));
    const headers: HttpResult['headers'] = chosen
      ? {
          ...Object.fromEntries(
            Object.entries(result.headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
          ),
          'Content-Type': chosen.type,
        }
      : { ...result.headers };
    for (const [name, expression] of response.headers) {
      const value = valueOf(expression, scope, context);
      if (value !== undefined) headers[name] = value;
    }
    const body = chosen
      ? chosen.template({
          context,
          input: inputVariable('', { path: {}, querystring: {}, header: {} }),
          stageVariables: {},
        })
      : result.body;
    return { ...result, statusCode: response.statusCode ?? result.statusCode, headers, body };
  }
}
