import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The AWS SDK Lambda's Node.js runtimes provide (in /var/runtime/node_modules, on NODE_PATH after the
 * layers): every `@aws-sdk/*` client from nodejs18.x on, `aws-sdk` (v2) up to nodejs16.x.
 */
export function providedSdkPackage(runtime: string, name: string): boolean {
  const major = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]);
  if (!major) return false;
  return major >= 18 ? name.startsWith('@aws-sdk/') : name === 'aws-sdk';
}

/**
 * Lambda's own message for a missing module, with what to do when it is the SDK the runtime provides
 * on AWS and this machine does not have it.
 */
export function withProvidedSdkHint(runtime: string, message: string): string {
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? '';
  const name = /^(@aws-sdk\/[^/]+|aws-sdk)(?:\/|$)/.exec(missing)?.[1];
  if (name === undefined || !providedSdkPackage(runtime, name)) return message;
  return `${message}\n${name} is provided by the ${runtime} runtime on AWS, but this machine has no copy of it: add it to the project (npm i -D ${name})`;
}

/**
 * Where this machine has SDK packages: the folders this package resolves its own modules from, then
 * those of the framework's CLI that loaded it (serverless@3 and osls bring many `@aws-sdk` clients).
 */
export function sdkSearchFolders(): string[] {
  const chains = [require.resolve.paths('@aws-sdk/x') ?? []];
  if (require.main) chains.push(createRequire(require.main.filename).resolve.paths('@aws-sdk/x') ?? []);
  return [...new Set(chains.flat())].filter((folder) => existsSync(folder));
}

/**
 * The runtime's `node_modules` as Lambda has it, built under `folder`: a link to each SDK package found
 * in `searchFolders` (the first copy of a package wins). A function's own node_modules are looked in
 * before it, and its layers too (NODE_PATH order), so the project's installed version always wins.
 */
export class ProvidedSdk {
  private readonly built = new Map<'v2' | 'v3', string>();

  constructor(
    private readonly folder: string,
    private readonly searchFolders: string[] = sdkSearchFolders(),
  ) {}

  /** The folder for the function's runtime, built on first use; undefined for a runtime without an SDK. */
  nodeModulesFor(runtime: string): string | undefined {
    const generation = providedSdkPackage(runtime, 'aws-sdk')
      ? 'v2'
      : providedSdkPackage(runtime, '@aws-sdk/x')
        ? 'v3'
        : undefined;
    if (!generation) return undefined;
    let modules = this.built.get(generation);
    if (!modules) {
      modules = path.join(this.folder, generation, 'node_modules');
      rmSync(modules, { recursive: true, force: true });
      this.link(modules, generation === 'v3' ? '@aws-sdk' : undefined);
      this.built.set(generation, modules);
    }
    return modules;
  }

  private link(modules: string, scope: string | undefined): void {
    const target = scope ? path.join(modules, scope) : modules;
    mkdirSync(target, { recursive: true });
    for (const searched of this.searchFolders) {
      const from = scope ? path.join(searched, scope) : searched;
      const names = scope ? (existsSync(from) ? readdirSync(from) : []) : ['aws-sdk'];
      for (const name of names) {
        const source = path.join(from, name);
        const link = path.join(target, name);
        if (existsSync(source) && !existsSync(link)) symlinkSync(source, link, 'dir');
      }
    }
  }
}
