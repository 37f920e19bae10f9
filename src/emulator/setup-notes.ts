import type { FunctionModel, ServiceModel } from '../service/model';

/**
 * What the emulator cannot give the functions as configured, one line each, printed once at start: the
 * layers it cannot mount (another account's or stack's, or a zip without a `path`), and the build
 * plugin's settings it cannot apply.
 */
export function setupNotes(model: ServiceModel, functions: FunctionModel[]): string[] {
  const unmounted = new Map<string, string[]>();
  for (const fn of functions) {
    for (const use of fn.layers) {
      const layer = model.layers.find((l) => l.key === use.layer);
      if (layer?.path) continue;
      const note = layer
        ? `Layer "${layer.key}" is only a package.artifact (${layer.artifact ?? 'no path'}): not mounted here (give it a path)`
        : `Layer ${use.text} is another account's or stack's: not mounted here, what it provides is missing`;
      unmounted.set(note, [...(unmounted.get(note) ?? []), fn.key]);
    }
  }
  const layerNotes = [...unmounted].map(([note, keys]) => `${note} (used by ${keys.join(', ')})`);
  const { plugin, unhonoured } = model.build;
  const buildNotes = unhonoured.length
    ? [
        `${plugin}: ${unhonoured.join(', ')} not applied by sls emulate (it builds handlers with its own esbuild)`,
      ]
    : [];
  return [...layerNotes, ...buildNotes];
}
