import type { InvokeOutcome } from '../../lambda/types';
import type { HttpResult } from './types';

/**
 * The response of an `http` event with `integration: lambda` (non-proxy). With no response templates
 * the function's JSON passes through; when the function fails, its errorMessage is matched against the
 * framework's default status-code patterns (serverless 3.40.0,
 * lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js `DEFAULT_STATUS_CODES`): `[400]`
 * anywhere in the message selects 400, and so on; a Lambda timeout selects 504; nothing matching leaves
 * the default 200, error body and all. API Gateway matches a selection pattern against the whole message.
 */

const STATUS_PATTERNS: ReadonlyArray<readonly [number, RegExp]> = [
  [400, /^[\s\S]*\[400\][\s\S]*$/],
  [401, /^[\s\S]*\[401\][\s\S]*$/],
  [403, /^[\s\S]*\[403\][\s\S]*$/],
  [404, /^[\s\S]*\[404\][\s\S]*$/],
  [422, /^[\s\S]*\[422\][\s\S]*$/],
  [500, /^[\s\S]*(Process\s?exited\s?before\s?completing\s?request|\[500\])[\s\S]*$/],
  [502, /^[\s\S]*\[502\][\s\S]*$/],
  [504, /^(?:([\s\S]*\[504\][\s\S]*)|(.*Task timed out after \d+\.\d+ seconds$))$/],
];

/** The status the default patterns select for an error message (200 when none matches). */
export function statusForErrorMessage(errorMessage: string): number {
  for (const [status, pattern] of STATUS_PATTERNS) if (pattern.test(errorMessage)) return status;
  return 200;
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

export function lambdaIntegrationResponse(
  outcome: InvokeOutcome,
  corsHeaders?: Record<string, string>,
): HttpResult {
  const statusCode = outcome.functionError ? statusForErrorMessage(errorMessageOf(outcome)) : 200;
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...corsHeaders },
    body: outcome.payload,
  };
}
