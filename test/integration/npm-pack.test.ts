import { execFileSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli';

const TOP_LEVEL = ['LICENSE', 'README.md', 'package.json'];

/** The files `npm pack` puts in the tarball, from the dist/ the build made (prepack's clean not run). */
function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('npm pack: the package holds what runs', function () {
  this.timeout(60_000);
  let files: string[];

  before(() => {
    assert.ok(existsSync(path.join(ROOT, 'dist', 'plugin.js')), 'run `npm run build` first (npm test does)');
    files = packedFiles();
  });

  it('holds dist/ and the licence, readme and manifest, and no sources, tests or source maps', () => {
    const outside = files.filter((file) => !file.startsWith('dist/') && !TOP_LEVEL.includes(file));
    assert.deepEqual(outside, []);
    for (const file of TOP_LEVEL) assert.ok(files.includes(file), file);
    const unwanted = files.filter((file) => file.endsWith('.map') || /(?<!\.d)\.ts$/.test(file));
    assert.deepEqual(unwanted, []);
  });

  it("holds every module of src/ compiled with its declarations, and src/'s assets as they are", () => {
    const missing = filesUnder(path.join(ROOT, 'src'))
      .flatMap((file) => {
        const module = /^(.*)\.ts$/.exec(file)?.[1];
        return module === undefined ? [file] : [`${module}.js`, `${module}.d.ts`];
      })
      .map((file) => `dist/${file}`)
      .filter((file) => !files.includes(file));
    assert.deepEqual(missing, []);
  });

  it('holds the entry points package.json names', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      /** A path, or one per condition (`types`, `default`). */
      exports: Record<string, string | Record<string, string>>;
    };
    const exported = Object.values(manifest.exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : Object.values(entry),
    );
    const entries = [manifest.main, manifest.types, ...exported];
    for (const entry of entries) assert.ok(files.includes(path.posix.normalize(entry)), entry);
  });
});
