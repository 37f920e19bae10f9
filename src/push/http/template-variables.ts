import { JsonPathError, jsonPath } from './json-path';

/**
 * The variables a mapping template sees besides `$util`: `$input` over a payload (the request body, or
 * the function's result in a response template), `$context` and `$stageVariables`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */

/** The request's parameters as `$input.params()` gives them: names as sent, last values. */
export interface TemplateParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

/** `$input.json`/`$input.path` on a payload that is not JSON: the request fails with 400. */
export class PayloadNotJsonError extends Error {}

function lazyJson(payload: string): () => unknown {
  let parsed: { value: unknown } | undefined;
  return () => {
    if (!parsed) {
      if (payload.trim() === '') parsed = { value: {} };
      else {
        try {
          parsed = { value: JSON.parse(payload) };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new PayloadNotJsonError(`Could not parse request body into json: ${reason}`);
        }
      }
    }
    return parsed.value;
  };
}

function pathIn(document: () => unknown, path: unknown): unknown {
  try {
    return jsonPath(document(), String(path));
  } catch (error) {
    if (error instanceof JsonPathError) return undefined;
    throw error;
  }
}

/** `$input`: the payload as text (`body`), through JSONPath (`json`, `path`), and the request's parameters. */
export function inputVariable(payload: string, params: TemplateParams) {
  const document = lazyJson(payload);
  const isWhole = (path: unknown) => String(path).trim() === '$';
  return {
    body: payload,
    /** `$input.path('$')` of a payload that is not JSON is the text itself (the form template splits it). */
    path: (path: unknown) => {
      if (isWhole(path) && payload.trim() !== '') {
        try {
          return document();
        } catch {
          return payload;
        }
      }
      return pathIn(document, path);
    },
    json: (path: unknown) => {
      const value = pathIn(document, path);
      return value === undefined ? '' : JSON.stringify(value);
    },
    params: (name?: unknown) => {
      if (name === undefined) return params;
      const key = String(name);
      const lower = key.toLowerCase();
      const header = Object.entries(params.header).find(([h]) => h.toLowerCase() === lower)?.[1];
      return params.path[key] ?? params.querystring[key] ?? header ?? '';
    },
  };
}

/**
 * The template a response is rendered with: the one for the request's Accept type, else
 * application/json's, else the first; with the content type it answers.
 */
export function templateFor<T>(
  templates: ReadonlyMap<string, T>,
  accept: string,
): { type: string; template: T } | undefined {
  const type = templates.has(accept)
    ? accept
    : templates.has('application/json')
      ? 'application/json'
      : templates.keys().next().value;
  const template = type === undefined ? undefined : templates.get(type);
  return type === undefined || template === undefined ? undefined : { type, template };
}
