import { buildSync } from 'esbuild';
import path from 'node:path';
import { LambdaRuntimeError, userCodeSyntaxError } from '../lambda-errors';
import { TYPESCRIPT_EXTENSIONS } from './handler-name';

/**
 * TypeScript handlers run from a transpiled copy (esbuild, local imports bundled, packages left to
 * node_modules), rebuilt only when their sources change. Also tells, for every handler, which local
 * files it imports, so hot reload knows what to watch.
 */
export class Transpiler {
  private readonly built = new Map<string, string>();

  constructor(
    private readonly serviceDir: string,
    private readonly outDir: string,
  ) {}

  /** The file a worker loads for this source: the source itself, or its transpiled copy. */
  moduleFor(functionKey: string, source: string): string {
    if (!TYPESCRIPT_EXTENSIONS.includes(path.extname(source))) return source;
    const cached = this.built.get(functionKey);
    if (cached) return cached;
    const esm = source.endsWith('.mts');
    const outfile = path.join(this.outDir, functionKey, esm ? 'handler.mjs' : 'handler.cjs');
    try {
      buildSync({
        entryPoints: [source],
        outfile,
        bundle: true,
        packages: 'external',
        platform: 'node',
        target: 'node18',
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
        entryPoints: [source],
        bundle: true,
        write: false,
        metafile: true,
        packages: 'external',
        platform: 'node',
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
