import { buildSync, type BuildOptions } from 'esbuild';
import path from 'node:path';
import type { EsbuildOptions } from '../../service/build-settings';
import { LambdaRuntimeError, userCodeSyntaxError } from '../lambda-errors';
import { TYPESCRIPT_EXTENSIONS } from './handler-name';
import { usesImport } from './load-handler';

/**
 * TypeScript handlers run from a transpiled copy (esbuild, local imports bundled, packages left to
 * node_modules), rebuilt only when their sources change. Also tells, for every handler, which local
 * files it imports, so hot reload knows what to watch. The service's build settings (`custom.esbuild`:
 * define, alias, loader, tsconfig, ...) apply to both, and with them JavaScript handlers are built too,
 * as serverless-esbuild builds them; tsconfig.json `paths` are esbuild's own.
 */
export class Transpiler {
  private readonly built = new Map<string, string>();
  private readonly settings: BuildOptions;
  private readonly buildsJavaScript: boolean;

  constructor(
    private readonly serviceDir: string,
    private readonly outDir: string,
    settings: EsbuildOptions = {},
  ) {
    this.settings = { platform: 'node', target: 'node18', ...settings } as BuildOptions;
    this.buildsJavaScript = Object.keys(settings).length > 0;
  }

  /** The file a worker loads for this source: the source itself, or its transpiled copy. */
  moduleFor(functionKey: string, source: string): string {
    const typescript = TYPESCRIPT_EXTENSIONS.includes(path.extname(source));
    if (!typescript && !this.buildsJavaScript) return source;
    const cached = this.built.get(functionKey);
    if (cached) return cached;
    const esm =
      this.settings.format === 'esm' || source.endsWith('.mts') || (!typescript && usesImport(source));
    const outfile = path.join(this.outDir, functionKey, esm ? 'handler.mjs' : 'handler.cjs');
    try {
      buildSync({
        ...this.settings,
        entryPoints: [source],
        outfile,
        bundle: true,
        packages: 'external',
        format: esm ? 'esm' : 'cjs',
        sourcemap: 'inline',
        absWorkingDir: this.serviceDir,
        logLevel: 'silent',
      });
    } catch (error) {
      throw new LambdaRuntimeError(userCodeSyntaxError((error as Error).message));
    }
    this.built.set(functionKey, outfile);
    return outfile;
  }

  /** Forget a function's transpiled copy so the next instance rebuilds it. */
  invalidate(functionKey: string): void {
    this.built.delete(functionKey);
  }

  /** The local (non-package) files a handler's source imports, itself included. */
  localImports(source: string): string[] {
    try {
      const { metafile } = buildSync({
        ...this.settings,
        entryPoints: [source],
        bundle: true,
        write: false,
        metafile: true,
        packages: 'external',
        absWorkingDir: this.serviceDir,
        logLevel: 'silent',
      });
      return Object.keys(metafile.inputs).map((input) => path.resolve(this.serviceDir, input));
    } catch {
      // A syntax error is the function's to report when it runs; watch the file itself until then.
      return [source];
    }
  }
}
