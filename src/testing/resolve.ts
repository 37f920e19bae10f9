import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readResolvedService, RESOLVE_TO, type ResolvedService } from '../service/resolved-service';

export interface ResolveOptions {
  stage?: string;
  region?: string;
  /** The framework's CLI (`serverless/bin/serverless.js` or osls'); by default the service's own. */
  framework?: string;
  env: NodeJS.ProcessEnv;
}

const CONFIG_FILES = [
  'serverless.yml',
  'serverless.yaml',
  'serverless.ts',
  'serverless.js',
  'serverless.json',
];
const FRAMEWORKS = ['serverless/bin/serverless.js', 'osls/bin/serverless.js'];
// The framework quiet and offline while it resolves: no telemetry, no notifications, no colours.
const QUIET = { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', NO_COLOR: '1' };

/** The framework the service would run with: its own serverless (v3), else osls. */
function frameworkOf(dir: string): string {
  for (const bin of FRAMEWORKS) {
    try {
      return require.resolve(bin, { paths: [dir] });
    } catch {
      // not installed for this service; try the next
    }
  }
  throw new Error(`no serverless (v3) or osls installed for ${dir}: install one, or pass { framework }`);
}

const memory = new Map<string, ResolvedService>();

// What a resolution may read of the environment: the variables the configuration names (`${env:X}`,
// `process.env.X` in a .js or .ts one), and the framework's and AWS's own.
const NAMED = /\benv:([A-Za-z_]\w*)|process\.env(?:\.([A-Za-z_]\w*)|\[['"]([^'"]+)['"]\])/g;
const FRAMEWORK_VARIABLES = /^(AWS_|SLS_|SERVERLESS_)/;

function environmentRead(config: string, env: NodeJS.ProcessEnv): Array<[string, string | undefined]> {
  const names = new Set([...config.matchAll(NAMED)].map((m) => m[1] ?? m[2] ?? m[3]));
  for (const name of Object.keys(env)) if (FRAMEWORK_VARIABLES.test(name)) names.add(name);
  return [...names].sort().map((name) => [name, env[name]]);
}

/** Where resolved configurations are kept between runs. */
const RESOLVED_CACHE_DIR = path.join(tmpdir(), 'serverless-emulate-resolved');

/** Forgets every resolved configuration, in memory and on disk: the next start is a cold one. */
export function forgetResolvedServices(): void {
  memory.clear();
  rmSync(RESOLVED_CACHE_DIR, { recursive: true, force: true });
}

/**
 * The service as the framework resolves it (variables, stage, region, plugins' resources), from one run
 * of `sls emulate` that writes it and exits. Kept by what it depends on (the configuration file, the
 * stage and region, the framework, the environment variables the file names and the framework's and
 * AWS's own): in memory for the test run, and on disk, so that a later run starts without the framework.
 * What only a file the configuration includes reads is not part of the key: `forgetResolvedServices`.
 */
export async function resolveService(dir: string, options: ResolveOptions): Promise<ResolvedService> {
  const serviceDir = path.resolve(dir);
  const config = CONFIG_FILES.map((name) => path.join(serviceDir, name)).find((file) => existsSync(file));
  if (!config) throw new Error(`no serverless.yml (or .yaml, .ts, .js, .json) in ${serviceDir}`);
  const framework = options.framework ?? frameworkOf(serviceDir);
  const text = readFileSync(config, 'utf8');
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        config: text,
        serviceDir,
        stage: options.stage,
        region: options.region,
        framework,
        env: environmentRead(text, options.env),
      }),
    )
    .digest('hex');
  const remembered = memory.get(key);
  if (remembered) return remembered;
  const cached = path.join(RESOLVED_CACHE_DIR, `${key}.json`);
  if (!existsSync(cached)) await runFramework(framework, serviceDir, options, cached);
  const resolved = readResolvedService(cached);
  memory.set(key, resolved);
  return resolved;
}

function runFramework(framework: string, cwd: string, options: ResolveOptions, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  const args = [framework, 'emulate'];
  if (options.stage) args.push('--stage', options.stage);
  if (options.region) args.push('--region', options.region);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...options.env, ...QUIET, [RESOLVE_TO]: partial }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error || !existsSync(partial)) {
          return reject(new Error(`the framework could not resolve ${cwd}:\n${stdout}${stderr}`.trimEnd()));
        }
        renameSync(partial, file);
        resolve();
      },
    );
  });
}
