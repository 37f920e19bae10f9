import type { PluginInstance, PluginManager, RawService } from '../host';
import { isObject } from './values';

// The packaging steps in which plugins add resources to the stack (serverless-lift merges its constructs
// after compileEvents), in the framework's order.
const STACK_EVENTS = ['package:compileFunctions', 'package:compileEvents'].flatMap((event) => [
  `before:${event}`,
  event,
  `after:${event}`,
]);

export interface PluginHookFailure {
  plugin: string;
  event: string;
  message: string;
}

/**
 * Runs the stack-compiling hooks of the service's other plugins, so that the resources they add to the
 * stack reach `readService`: those they merge into `resources` and those they write into a fresh
 * `provider.compiledCloudFormationTemplate`. Only the plugins' hooks run, not the framework's: nothing is
 * packaged, no artifact is written. A hook that throws (it may expect what packaging makes) is reported,
 * not fatal.
 */
export async function compilePluginResources(
  service: RawService,
  plugins: PluginManager,
  self: object,
): Promise<PluginHookFailure[]> {
  service.provider.compiledCloudFormationTemplate = { Resources: {}, Outputs: {} };
  const owners = new Map<unknown, string>();
  for (const plugin of plugins.externalPlugins) {
    if (plugin === self) continue;
    for (const hook of Object.values(plugin.hooks ?? {})) owners.set(hook, nameOf(plugin));
  }
  const failures: PluginHookFailure[] = [];
  for (const event of STACK_EVENTS) {
    for (const { hook } of plugins.hooks[event] ?? []) {
      const plugin = owners.get(hook);
      if (plugin === undefined) continue;
      try {
        await hook();
      } catch (error) {
        failures.push({ plugin, event, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return failures;
}

/**
 * The stack's resources as the framework deploys them: what plugins compiled, with `resources.Resources`
 * merged over it (deeply, as lodash's merge in mergeCustomProviderResources does), then
 * `resources.extensions` (how serverless v3 adds to a resource it generates, such as a function's
 * `<Name>LambdaFunction`, without restating its Type).
 */
export function stackResources(service: RawService): Record<string, unknown> {
  const template = service.provider.compiledCloudFormationTemplate;
  const compiled = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const section = (key: 'Resources' | 'extensions') =>
    isObject(service.resources) && isObject(service.resources[key]) ? service.resources[key] : {};
  return merge(merge(compiled, section('Resources')), section('extensions'));
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = result[key];
    result[key] = isObject(under) && isObject(value) ? merge(under, value) : value;
  }
  return result;
}

function nameOf(plugin: PluginInstance): string {
  return plugin.constructor._serverlessExternalPluginName ?? plugin.constructor.name;
}
