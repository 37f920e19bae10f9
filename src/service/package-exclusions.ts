import path from 'node:path';
import type { RawService } from '../host';
import { configuredStateDir, resolveStateDir } from './emulate-settings';
import { isObject } from './values';

/**
 * Keeps the state folder (S3 objects, the SQLite database, the transpiled handlers) out of every
 * artifact `sls package` and `sls deploy` build, whatever the service's `package.patterns` include.
 *
 * The framework applies patterns in order, the last match winning, over the service's patterns
 * followed by a function's or layer's own. So the exclusion goes last in each list. It has a second
 * spelling in the function and layer lists because the framework joins the lists with `_.union`,
 * which would drop a repeat of the service's pattern and let the function's own include win again.
 */
export function excludeStateFromPackages(
  service: RawService,
  serviceDir: string,
  stateDirOption: string | undefined,
): void {
  // The default folder too: it may hold the state of an earlier `sls emulate` run without the option.
  const stateDirs = new Set([
    resolveStateDir(serviceDir),
    resolveStateDir(serviceDir, stateDirOption, configuredStateDir(service.custom?.emulate)),
  ]);
  const inside = (base: string) => [...stateDirs].flatMap((dir) => relativeInside(base, dir) ?? []);

  excludeLast(service, inside(serviceDir), serviceLevel);
  for (const fn of Object.values(service.functions ?? {})) {
    // A function without its own patterns is packaged with the service's, which end with ours; giving
    // it patterns would make the framework warn that they are ignored.
    const config = fn.package;
    if (isObject(config) && (config.patterns !== undefined || config.include !== undefined)) {
      excludeLast(fn, inside(serviceDir), ownLevel);
    }
  }
  for (const layer of Object.values(service.layers ?? {})) {
    if (!isObject(layer)) continue;
    const layerDir = typeof layer.path === 'string' ? path.resolve(serviceDir, layer.path) : serviceDir;
    excludeLast(layer, inside(layerDir), ownLevel);
  }
}

const serviceLevel = (rel: string) => `!${rel}/**`;
const ownLevel = (rel: string) => `!${rel}/**/*`;

/** Puts the exclusions of `rels` at the end of `owner.package.patterns` (a copy earlier is moved). */
function excludeLast(owner: PackageOwner, rels: string[], spell: (rel: string) => string): void {
  if (!rels.length) return;
  const config = isObject(owner.package) ? owner.package : (owner.package = {});
  const ours = new Set(rels.flatMap((rel) => [serviceLevel(rel), ownLevel(rel)]));
  const patterns: unknown[] = Array.isArray(config.patterns) ? config.patterns : [];
  config.patterns = [...patterns.filter((p) => typeof p !== 'string' || !ours.has(p)), ...rels.map(spell)];
}

interface PackageOwner {
  package?: unknown;
}

/** `dir` relative to `base` in the patterns' `/` form, or undefined when it is not inside `base`. */
function relativeInside(base: string, dir: string): string | undefined {
  const rel = path.relative(base, dir);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return undefined;
  }
  return rel.split(path.sep).join('/');
}
