import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli';

/** The folder whose package.json declares the Node binaries (`node22`, `node24`) from the npm registry. */
export const NODE_VERSIONS_DIR = path.join(ROOT, 'test', 'node-versions');

/**
 * The path of the Node binary of `major` from test/node-versions, installed from its lock file on first
 * use (a fresh clone's `npm ci` does not install it: each package's `node` bin would shadow the host's).
 */
export function nodeBinary(major: 22 | 24): string {
  const binary = path.join(NODE_VERSIONS_DIR, 'node_modules', `node${major}`, 'bin', 'node');
  if (!existsSync(binary)) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: NODE_VERSIONS_DIR, stdio: 'ignore' });
  }
  return binary;
}
