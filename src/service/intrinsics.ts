/**
 * Evaluates the CloudFormation intrinsics serverless.yml uses to name resources (Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub, Fn::ImportValue) to the local strings they would become. What cannot be known
 * locally (an import from another stack, an attribute of an unknown resource) evaluates to undefined.
 */
export interface IntrinsicScope {
  pseudo: Record<string, string>;
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): string | undefined;
}

const MAX_DEPTH = 10;

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

export function evaluate(value: unknown, scope: IntrinsicScope, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isIntrinsic(value) || depth > MAX_DEPTH) return undefined;
  const [fn, arg] = Object.entries(value)[0];
  const next = (v: unknown) => evaluate(v, scope, depth + 1);
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? (scope.pseudo[arg] ?? scope.ref(arg)) : undefined;
    case 'Fn::GetAtt': {
      const [id, attribute] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg : [];
      return typeof id === 'string' && typeof attribute === 'string'
        ? scope.getAtt(id, attribute)
        : undefined;
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
      const parts = arg[1].map(next);
      return parts.every((p) => p !== undefined) ? parts.join(arg[0]) : undefined;
    }
    case 'Fn::Sub':
      return substitute(arg, scope, depth);
    default:
      return undefined;
  }
}

function substitute(arg: unknown, scope: IntrinsicScope, depth: number): string | undefined {
  const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
  if (typeof template !== 'string') return undefined;
  let unresolved = false;
  const result = template.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
    const bound = (variables as Record<string, unknown>)[name];
    const [id, attribute] = name.split('.');
    const resolved =
      bound !== undefined
        ? evaluate(bound, scope, depth + 1)
        : attribute !== undefined
          ? scope.getAtt(id, attribute)
          : (scope.pseudo[name] ?? scope.ref(name));
    if (resolved === undefined) unresolved = true;
    return resolved ?? '';
  });
  return unresolved ? undefined : result;
}

/** How an intrinsic reads in YAML's short form, for messages: `!GetAtt Queue.Arn`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isIntrinsic(value)) return JSON.stringify(value);
  const [fn, arg] = Object.entries(value)[0];
  const short = fn === 'Ref' ? '!Ref' : `!${fn.slice(4)}`;
  if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return `${short} ${arg.join('.')}`;
  return `${short} ${typeof arg === 'string' ? arg : JSON.stringify(arg)}`;
}

/** The logical id a Ref or Fn::GetAtt points at, if that is what the value is. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isIntrinsic(value)) return undefined;
  const [fn, arg] = Object.entries(value)[0];
  if (fn === 'Ref' && typeof arg === 'string' && !arg.startsWith('AWS::')) return arg;
  if (fn === 'Fn::GetAtt') {
    const id = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}
