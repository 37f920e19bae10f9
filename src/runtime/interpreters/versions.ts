import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `22.3.1`, `v22.3.1`, `3.12.1` -> [22, 3, 1]; undefined for anything else (`lts`, `3.13t`, `system`). */
export function parseVersion(text: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

const newerFirst = (a: number[], b: number[]) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2];

export interface VersionFolder {
  folder: string;
  version: number[];
}

/**
 * A version manager's folder of installs named by version (`v22.3.1`, `3.12.1`): those whose version
 * starts with `prefix` ([22] or [3, 12]), the newest first.
 */
export function versionFolders(root: string, prefix: number[]): VersionFolder[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ folder: path.join(root, name), version: parseVersion(name) }))
    .filter(
      (entry): entry is VersionFolder =>
        entry.version !== undefined && prefix.every((part, i) => entry.version?.[i] === part),
    )
    .sort((a, b) => newerFirst(a.version, b.version));
}

/** The user's home folder as the function's environment has it (version managers live there). */
export const homeOf = (env: NodeJS.ProcessEnv) => env.HOME ?? os.homedir();

/** What `command args` prints, or undefined when it does not run (a shim of a version not installed). */
export function outputOf(command: string, args: string[], cwd?: string): string | undefined {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    }).trim();
  } catch {
    return undefined;
  }
}
