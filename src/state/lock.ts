import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';

/** The file, in the state folder, that says which `sls emulate` uses it. */
export const LOCK_FILE = 'emulate.lock';

/** The ports of the emulator holding the lock, by part: the ones it was asked for until it listens. */
export type LockPorts = Record<string, number>;

interface LockContent {
  pid: number;
  ports: LockPorts;
}

export interface StateLock {
  /** Records the ports actually listened on (asked for 0, the system picked them). */
  update(ports: LockPorts): void;
  release(): void;
}

/**
 * Claims the state folder for this process, so that a second `sls emulate` on it refuses to start
 * instead of both writing one database. A lock whose process is gone (a crash, SIGKILL) is taken over.
 */
export function lockStateFolder(stateDir: string, ports: LockPorts): StateLock {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, LOCK_FILE);
  const write = (content: LockContent, flag: 'wx' | 'w') =>
    writeFileSync(file, `${JSON.stringify(content)}\n`, { flag });
  const mine = { pid: process.pid, ports };
  // Twice at most: a stale lock is removed, then created exclusively, so of two emulators taking it
  // over at once one wins and the other finds the winner alive.
  for (let attempt = 0; ; attempt++) {
    try {
      write(mine, 'wx');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid))
      throw inUse(stateDir, file, holder);
    rmSync(file, { force: true });
  }
  return {
    update: (actual) => write({ pid: process.pid, ports: actual }, 'w'),
    release: () => {
      if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function readLock(file: string): LockContent | undefined {
  try {
    const content: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const { pid, ports } = content as Partial<LockContent>;
    return typeof pid === 'number' ? { pid, ports: ports ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(stateDir: string, file: string, holder: LockContent): ConfigError {
  const ports = Object.entries(holder.ports)
    .map(([part, port]) => `${part} ${port}`)
    .join(', ');
  return new ConfigError(
    `The state folder ${stateDir} is in use by another sls emulate (PID ${holder.pid}${ports ? `, ports: ${ports}` : ''}). ` +
      `Stop it, or give this one its own --state-dir. If process ${holder.pid} is not sls emulate, delete ${file}.`,
    'EMULATE_STATE_IN_USE',
  );
}
