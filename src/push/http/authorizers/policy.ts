/**
 * The IAM policy a Lambda authorizer returns, evaluated the way API Gateway evaluates it against the
 * request's `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`: a statement
 * applies when one of its actions matches `execute-api:Invoke` and one of its resources matches the ARN
 * (`*` any run of characters, `?` one); an applying Deny wins over any Allow; no applying statement is
 * an implicit deny. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */

export type PolicyVerdict = 'allow' | 'explicitDeny' | 'implicitDeny';

interface Statement {
  effect: 'Allow' | 'Deny';
  actions: RegExp[];
  resources: RegExp[];
}

/** A policy document compiled once (a cached one is evaluated again for every request). */
export type CompiledPolicy = Statement[];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const listOf = (value: unknown): unknown[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;

/** `*` and `?` as IAM's wildcards; everything else literal. */
function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

function patterns(value: unknown, flags?: string): RegExp[] | undefined {
  const list = listOf(value);
  if (!list || list.length === 0 || !list.every((item) => typeof item === 'string')) return undefined;
  return (list as string[]).map((item) => wildcard(item, flags));
}

/** The document compiled, or undefined when API Gateway would not accept it (its 500). */
export function compilePolicy(document: unknown): CompiledPolicy | undefined {
  if (!isObject(document)) return undefined;
  const statements = listOf(document.Statement);
  if (!statements || statements.length === 0) return undefined;
  const compiled: Statement[] = [];
  for (const statement of statements) {
    if (!isObject(statement)) return undefined;
    const { Effect } = statement;
    if (Effect !== 'Allow' && Effect !== 'Deny') return undefined;
    // Action names are case-insensitive in IAM; resources are not.
    const actions = patterns(statement.Action, 'i');
    const resources = patterns(statement.Resource);
    if (!actions || !resources) return undefined;
    compiled.push({ effect: Effect, actions, resources });
  }
  return compiled;
}

const INVOKE = 'execute-api:Invoke';

export function evaluatePolicy(policy: CompiledPolicy, arn: string): PolicyVerdict {
  let allowed = false;
  for (const { effect, actions, resources } of policy) {
    if (!actions.some((action) => action.test(INVOKE))) continue;
    if (!resources.some((resource) => resource.test(arn))) continue;
    if (effect === 'Deny') return 'explicitDeny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicitDeny';
}
