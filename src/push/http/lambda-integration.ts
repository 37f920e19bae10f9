import type { InvokeOutcome } from '../../lambda/types';
import type { FunctionModel, HttpEvent, RestIntegrationResponse } from '../../service/model';
import { ConfigReader } from '../../service/reader';
import { lambdaIntegrationEvent, type LambdaEventInput, type LambdaIntegrationEvent } from './events-lambda';
import { restResponses } from './gateway-responses';
import { jsonPath } from './json-path';
import { headerOf, mediaTypeOf } from './request';
import { inputVariable, PayloadNotJsonError, templateFor, type TemplateParams } from './template-variables';
import type { HttpResult } from './types';
import { compileTemplate, type Template } from './velocity';

/**
 * `http` events with `integration: lambda` (API Gateway's non-proxy Lambda integration). The request:
 * the template for the request's content type renders the payload (the framework's default templates for
 * application/json and application/x-www-form-urlencoded, `events-lambda.ts`, unless `request.template`
 * replaces or removes them); without one, `request.passThrough` decides (NEVER: 415; WHEN_NO_MATCH: the
 * body as it came; WHEN_NO_TEMPLATES: the body only when no template exists at all). The response: a
 * function error's `errorMessage` selects the integration response whose `pattern` matches it whole
 * (Java regular expressions), anything else the default one (`pattern: ''`); its template renders the
 * body (without one the function's result passes through) and its headers are set.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-method-settings-execution-console.html
 */

/** What a template sees of the request: `$context`, the parameters, `$stageVariables`. */
export interface TemplateScope {
  context: object;
  params: TemplateParams;
  stageVariables: Record<string, string>;
}

export type RequestPayload = { ok: true; payload: string } | { ok: false; result: HttpResult };

interface CompiledResponse {
  statusCode: number;
  pattern?: RegExp;
  headers: Array<[string, string]>;
  templates: Map<string, Template>;
}

const DEFAULT_TEMPLATE_TYPES = ['application/json', 'application/x-www-form-urlencoded'];
const STATIC_VALUE = /^'(.*)'$/s;
const BODY_VALUE = 'integration.response.body';

export interface LambdaIntegration {
  /** `decorateDefault` completes the framework's default template's event (the authorizer's grant). */
  request(
    input: LambdaEventInput,
    scope: TemplateScope,
    decorateDefault: (event: LambdaIntegrationEvent) => void,
  ): RequestPayload;
  response(outcome: InvokeOutcome, accept: string | undefined, scope: TemplateScope): HttpResult;
}

function compiler(fn: FunctionModel, event: HttpEvent, key: string) {
  const reader = new ConfigReader(
    `functions.${fn.key}.events.${event.index}.http.${key}`,
    undefined,
    `function "${fn.key}"`,
  );
  return (contentType: string, template: string): Template => {
    try {
      return compileTemplate(template);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return reader.fail(contentType, `is not a Velocity template API Gateway can render: ${reason}`);
    }
  };
}

function render(template: Template, payload: string, scope: TemplateScope): string {
  return template({
    input: inputVariable(payload, scope.params),
    context: scope.context,
    stageVariables: scope.stageVariables,
  });
}

function errorMessageOf(outcome: InvokeOutcome): string {
  if (outcome.error) return outcome.error.errorMessage;
  try {
    const body: unknown = JSON.parse(outcome.payload);
    if (typeof body === 'object' && body !== null && 'errorMessage' in body) return String(body.errorMessage);
  } catch {
    // not JSON: the payload is the message
  }
  return outcome.payload;
}

function headerValue(value: string, payload: string): string | undefined {
  const quoted = STATIC_VALUE.exec(value);
  if (quoted) return quoted[1];
  if (value === BODY_VALUE || value.startsWith(`${BODY_VALUE}.`)) {
    try {
      const found = jsonPath(JSON.parse(payload), `$${value.slice(BODY_VALUE.length)}`);
      return found === undefined || found === null
        ? undefined
        : typeof found === 'string'
          ? found
          : JSON.stringify(found);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function compileResponses(
  responses: RestIntegrationResponse[],
  compile: ReturnType<typeof compiler>,
): CompiledResponse[] {
  return responses.map((response) => ({
    statusCode: response.statusCode,
    pattern: response.pattern === '' ? undefined : new RegExp(`^(?:${response.pattern})$`),
    headers: Object.entries(response.headers),
    templates: new Map(Object.entries(response.templates).map(([type, t]) => [type, compile(type, t)])),
  }));
}

export function lambdaIntegration(fn: FunctionModel, event: HttpEvent): LambdaIntegration {
  const compileRequest = compiler(fn, event, 'request.template');
  const custom = new Map<string, Template | null>(
    Object.entries(event.request.templates).map(([type, t]) => [
      type,
      t === null ? null : compileRequest(type, t),
    ]),
  );
  const hasDefault = (type: string) => DEFAULT_TEMPLATE_TYPES.includes(type) && custom.get(type) !== null;
  const anyTemplate = [...custom.values()].some((t) => t !== null) || DEFAULT_TEMPLATE_TYPES.some(hasDefault);
  const responses = compileResponses(event.response, compiler(fn, event, 'response'));
  const fallback = responses.find((response) => !response.pattern) as CompiledResponse;

  function request(
    input: LambdaEventInput,
    scope: TemplateScope,
    decorateDefault: (event: LambdaIntegrationEvent) => void,
  ): RequestPayload {
    const type = mediaTypeOf(headerOf(input.request.rawHeaders, 'content-type')) || 'application/json';
    const template = custom.get(type);
    const body = input.request.body.toString('utf8');
    if (template) {
      try {
        return { ok: true, payload: render(template, body, scope) };
      } catch (error) {
        if (error instanceof PayloadNotJsonError)
          return { ok: false, result: restResponses.badRequest(error.message) };
        throw error;
      }
    }
    if (hasDefault(type)) {
      const rendered = lambdaIntegrationEvent(input);
      if (rendered.ok) {
        decorateDefault(rendered.event);
        return { ok: true, payload: JSON.stringify(rendered.event) };
      }
      return {
        ok: false,
        result:
          rendered.statusCode === 415
            ? restResponses.unsupportedMediaType()
            : restResponses.badRequest(rendered.message),
      };
    }
    const passes =
      event.request.passThrough === 'WHEN_NO_MATCH' ||
      (event.request.passThrough === 'WHEN_NO_TEMPLATES' && !anyTemplate);
    return passes ? { ok: true, payload: body } : { ok: false, result: restResponses.unsupportedMediaType() };
  }

  function response(outcome: InvokeOutcome, accept: string | undefined, scope: TemplateScope): HttpResult {
    const message = outcome.functionError ? errorMessageOf(outcome) : undefined;
    const selected = (message !== undefined && responses.find((r) => r.pattern?.test(message))) || fallback;
    const chosen = templateFor(selected.templates, mediaTypeOf(accept));
    const headers: Record<string, string> = { 'Content-Type': chosen?.type ?? 'application/json' };
    for (const [name, value] of selected.headers) {
      const resolved = headerValue(value, outcome.payload);
      if (resolved !== undefined) headers[name] = resolved;
    }
    let body = outcome.payload;
    if (chosen) {
      try {
        body = render(chosen.template, outcome.payload, scope);
      } catch (error) {
        if (!(error instanceof PayloadNotJsonError)) throw error;
        return restResponses.badGateway();
      }
    }
    return { statusCode: selected.statusCode, headers, body };
  }

  return { request, response };
}
