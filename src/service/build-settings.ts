import type { RawService } from '../host';
import { ConfigReader } from './reader';
import { isObject } from './values';

export const BUILD_PLUGINS = [
  'serverless-esbuild',
  'serverless-webpack',
  'serverless-plugin-typescript',
] as const;
export type BuildPlugin = (typeof BUILD_PLUGINS)[number];

/** How an option's value is checked: a string, a list of strings, an object of strings, a boolean. */
type OptionKind = 'string' | 'strings' | 'stringMap' | 'boolean' | 'stringOrStrings' | 'stringOrObject';

/**
 * The esbuild options of `custom.esbuild` that shape what the handler's code does when it runs, and
 * that the emulator's own esbuild build (runtime/node/transpiler.ts) applies as serverless-esbuild would.
 */
export const HONOURED_ESBUILD_OPTIONS = {
  define: 'stringMap',
  loader: 'stringMap',
  external: 'strings',
  alias: 'stringMap',
  tsconfig: 'string',
  tsconfigRaw: 'stringOrObject',
  target: 'stringOrStrings',
  format: 'string',
  platform: 'string',
  mainFields: 'strings',
  conditions: 'strings',
  resolveExtensions: 'strings',
  inject: 'strings',
  banner: 'stringMap',
  footer: 'stringMap',
  keepNames: 'boolean',
  jsx: 'string',
  jsxFactory: 'string',
  jsxFragment: 'string',
  jsxImportSource: 'string',
} as const satisfies Record<string, OptionKind>;

/**
 * serverless-esbuild's settings that only shape the deployment artifact (packaging, zipping, watching,
 * minifying, source maps): nothing to apply when the handler runs from its source here.
 */
const PACKAGING_ESBUILD_OPTIONS = new Set([
  'bundle',
  'concurrency',
  'zipConcurrency',
  'exclude',
  'packager',
  'packagerOptions',
  'packagePath',
  'installExtraArgs',
  'nativeZip',
  'keepOutputDirectory',
  'outputWorkFolder',
  'outputBuildFolder',
  'outputFileExtension',
  'nodeExternals',
  'watch',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'minify',
  'minifyWhitespace',
  'minifyIdentifiers',
  'minifySyntax',
  'sourcemap',
  'sourcesContent',
  'sourceRoot',
  'metafile',
  'logLevel',
  'legalComments',
  'treeShaking',
]);

export type EsbuildOptions = Partial<Record<keyof typeof HONOURED_ESBUILD_OPTIONS, unknown>>;

/** How the service's build plugin would have built its Node.js handlers, as far as the emulator can do the same. */
export interface BuildSettings {
  /** The build plugin the service lists, if any. */
  plugin?: BuildPlugin;
  /** Options for the transpiler's esbuild build, from `custom.esbuild` or the plugin's tsconfig setting. */
  esbuild: EsbuildOptions;
  /** Settings that change the built code but that the emulator cannot apply, by their path (`custom.esbuild.plugins`). */
  unhonoured: string[];
}

/** The build plugin of the service's `plugins` (a list, or `{modules: [...]}`) and what of its settings applies here. */
export function readBuildSettings(raw: RawService): BuildSettings {
  const plugin = listedPlugins(raw.plugins).find((name): name is BuildPlugin =>
    (BUILD_PLUGINS as readonly string[]).includes(name),
  );
  const custom = raw.custom ?? {};
  if (plugin === 'serverless-esbuild') return esbuildSettings(custom.esbuild);
  if (plugin === 'serverless-webpack') {
    // Its webpack configuration (loaders, resolve.alias, ...) is code only webpack runs.
    return { plugin, esbuild: {}, unhonoured: ['custom.webpack'] };
  }
  if (plugin === 'serverless-plugin-typescript') {
    const settings = new ConfigReader(
      'custom.serverlessPluginTypescript',
      custom.serverlessPluginTypescript,
      'custom',
    );
    const tsconfig = settings.string('tsConfigFileLocation');
    return { plugin, esbuild: tsconfig === undefined ? {} : { tsconfig }, unhonoured: [] };
  }
  return { esbuild: {}, unhonoured: [] };
}

function esbuildSettings(raw: unknown): BuildSettings {
  const settings = new ConfigReader('custom.esbuild', raw, 'custom.esbuild');
  const esbuild: EsbuildOptions = {};
  const unhonoured: string[] = [];
  for (const [key, value] of Object.entries(isObject(raw) ? raw : {})) {
    if (key in HONOURED_ESBUILD_OPTIONS) {
      const kind: OptionKind = HONOURED_ESBUILD_OPTIONS[key as keyof EsbuildOptions];
      if (!fits(value, kind)) settings.fail(key, `must be ${KIND_TEXT[kind]}, got ${JSON.stringify(value)}`);
      esbuild[key as keyof EsbuildOptions] = value;
    } else if (!PACKAGING_ESBUILD_OPTIONS.has(key)) {
      // `plugins` and `config` are JavaScript the plugin loads; anything else is an option it passes on.
      unhonoured.push(`custom.esbuild.${key}`);
    }
  }
  return { plugin: 'serverless-esbuild', esbuild, unhonoured };
}

const KIND_TEXT: Record<OptionKind, string> = {
  string: 'a string',
  strings: 'a list of strings',
  stringMap: 'an object of strings',
  boolean: 'true or false',
  stringOrStrings: 'a string or a list of strings',
  stringOrObject: 'a string or an object',
};

function fits(value: unknown, kind: OptionKind): boolean {
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === 'string');
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return isStrings(value);
    case 'stringMap':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'boolean':
      return typeof value === 'boolean';
    case 'stringOrStrings':
      return typeof value === 'string' || isStrings(value);
    case 'stringOrObject':
      return typeof value === 'string' || isObject(value);
  }
}

function listedPlugins(plugins: unknown): string[] {
  const list = isObject(plugins) ? plugins.modules : plugins;
  return Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string') : [];
}
