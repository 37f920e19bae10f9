import path from 'node:path';
import { parseArn } from './arn';
import { describe, evaluate, isIntrinsic, type IntrinsicScope } from './intrinsics';
import type { LayerModel, LayerUse } from './model';
import { normalizeLogicalName } from './naming';
import { ConfigReader } from './reader';
import { isObject } from './values';

/** The service's `layers:`, each with the folder Lambda would mount under /opt (its `path`). */
export function readLayers(raw: unknown, serviceDir: string): LayerModel[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).map(([key, value]) => {
    const r = new ConfigReader(`layers.${key}`, value, `layer "${key}"`);
    if (!r.isObject) r.fail(undefined, 'must be an object with a path');
    const dir = r.string('path');
    return {
      key,
      name: r.string('name') ?? key,
      logicalId: `${normalizeLogicalName(key)}LambdaLayer`,
      path: dir === undefined ? undefined : path.resolve(serviceDir, dir),
      artifact: r.child('package').string('artifact'),
    };
  });
}

/**
 * The layers a function runs with, in the order Lambda merges them: the function's own `layers`, else
 * the provider's (the framework's compile/functions.js takes one or the other, never both). A layer is
 * this service's when it is `{Ref: <Key>LambdaLayer}` or an ARN naming one of its layers in the
 * service's region (whatever the account, as for other ARNs here); anything else is another stack's.
 */
export function layersOf(
  fn: ConfigReader,
  provider: ConfigReader,
  layers: LayerModel[],
  { region, scope }: { region: string; scope: IntrinsicScope },
): LayerUse[] {
  const own = fn.list('layers');
  const [reader, list] = own ? [fn, own] : [provider, provider.list('layers') ?? []];
  return list.map((value, index): LayerUse => {
    const ref = isObject(value) ? value.Ref : undefined;
    const byRef = typeof ref === 'string' ? layers.find((l) => l.logicalId === ref) : undefined;
    if (byRef) return { text: describe(value), layer: byRef.key };
    if (typeof value !== 'string' && !isIntrinsic(value)) {
      reader.fail(`layers.${index}`, `must be a layer version ARN or a Ref, got ${JSON.stringify(value)}`);
    }
    const arn = evaluate(value, scope);
    const parsed = arn === undefined ? undefined : parseArn(arn);
    const name = parsed?.service === 'lambda' ? /^layer:([^:]+)/.exec(parsed.resource)?.[1] : undefined;
    const layer = parsed?.region === region ? layers.find((l) => l.name === name) : undefined;
    return { text: describe(value), layer: layer?.key };
  });
}
