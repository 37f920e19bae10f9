import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNodeBinary } from '../../../src/runtime/interpreters/node-binaries';
import { findPython } from '../../../src/runtime/interpreters/python-interpreters';
import { NODE_VERSIONS_DIR, nodeBinary } from '../../helpers/node-versions';

const SERVICE = path.join(NODE_VERSIONS_DIR, 'service');

/** Links `target` at `dir/...parts`, creating the folders. */
function link(target: string, dir: string, ...parts: string[]): string {
  const file = path.join(dir, ...parts);
  mkdirSync(path.dirname(file), { recursive: true });
  symlinkSync(target, file);
  return file;
}

describe('finding the interpreter a function declares', function () {
  this.timeout(60_000);
  let home: string;
  /** An environment that knows of nothing: no PATH, an empty home, no version manager. */
  let nothing: NodeJS.ProcessEnv;

  before(() => {
    nodeBinary(22);
    nodeBinary(24);
  });

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'emulate-home-'));
    nothing = { PATH: '', HOME: home, N_PREFIX: home };
  });

  afterEach(() => rmSync(home, { recursive: true, force: true }));

  describe('Node.js', () => {
    it('finds the binary packages of the npm registry in node_modules from the service folder upward', () => {
      assert.deepEqual(findNodeBinary(22, SERVICE, nothing), {
        executable: path.join(NODE_VERSIONS_DIR, 'node_modules', 'node22', 'bin', 'node'),
        version: 'v22.23.5',
      });
      assert.equal(findNodeBinary(24, SERVICE, nothing)?.version, 'v24.22.3');
      assert.equal(
        findNodeBinary(24, home, nothing),
        undefined,
        'found outside the folders above the service',
      );
    });

    it('finds a node on PATH by the version it prints', () => {
      const bin = path.join(home, 'bin');
      link(nodeBinary(24), bin, 'node');
      const found = findNodeBinary(24, home, { ...nothing, PATH: bin });
      assert.deepEqual(found, { executable: path.join(bin, 'node'), version: 'v24.22.3' });
      assert.equal(findNodeBinary(22, home, { ...nothing, PATH: bin }), undefined);
    });

    it("finds the newest install of the major in nvm's, fnm's, volta's, asdf's and n's folders", () => {
      const managers: Array<{
        parts: (version: string) => string[];
        env?: (root: string) => NodeJS.ProcessEnv;
      }> = [
        { parts: (v) => ['.nvm', 'versions', 'node', `v${v}`, 'bin', 'node'] },
        { parts: (v) => ['.local', 'share', 'fnm', 'node-versions', `v${v}`, 'installation', 'bin', 'node'] },
        { parts: (v) => ['.volta', 'tools', 'image', 'node', v, 'bin', 'node'] },
        { parts: (v) => ['.asdf', 'installs', 'nodejs', v, 'bin', 'node'] },
        { parts: (v) => ['n', 'versions', 'node', v, 'bin', 'node'], env: (root) => ({ N_PREFIX: root }) },
      ];
      for (const { parts, env } of managers) {
        const root = mkdtempSync(path.join(home, 'manager-'));
        link(nodeBinary(22), root, ...parts('22.1.0'));
        const newest = link(nodeBinary(22), root, ...parts('22.10.0'));
        link(nodeBinary(24), root, ...parts('24.0.0'));
        const found = findNodeBinary(22, home, { ...nothing, HOME: root, ...env?.(root) });
        assert.deepEqual(found, { executable: newest, version: 'v22.10.0' }, parts('x').join('/'));
      }
    });

    it('finds nothing for a major the machine does not have', () => {
      assert.equal(findNodeBinary(17, SERVICE, nothing), undefined);
    });
  });

  describe('Python', () => {
    /** The real path of the machine's python3 and its version. */
    const python3 = () => {
      const [executable, version] = execFileSync(
        'python3',
        ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
      return { executable, version };
    };

    it('finds python3.X on PATH', () => {
      const { executable, version } = python3();
      const bin = path.join(home, 'bin');
      link(executable, bin, `python${version}`);
      assert.equal(findPython(version, home, { ...nothing, PATH: bin })?.version, version);
      assert.equal(findPython('3.99', home, { ...nothing, PATH: bin }), undefined);
    });

    it("finds the newest install of the version in pyenv's versions folder", () => {
      const { executable, version } = python3();
      link(executable, home, 'pyenv', 'versions', `${version}.1`, 'bin', `python${version}`);
      const found = findPython(version, home, { ...nothing, PYENV_ROOT: path.join(home, 'pyenv') });
      assert.equal(found?.version, version);
    });

    it('takes python3 when it is the version declared, and nothing when no interpreter is', () => {
      const { executable, version } = python3();
      const bin = path.join(home, 'bin');
      link(executable, bin, 'python3');
      assert.equal(findPython(version, home, { ...nothing, PATH: bin })?.version, version);
      assert.equal(findPython(version, home, nothing), undefined);
    });
  });
});
