import type { Clock } from '../clock';
import { isProcessAlive } from '../state/lock';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How often the process that started `sls emulate` is checked. */
const PARENT_CHECK_MS = 1000;

/**
 * Resolves with the reason `sls emulate` should stop: Ctrl-C, SIGTERM, a closed terminal (SIGHUP), or
 * the process that started it gone (`npm start` killed, say, which leaves its child running with the
 * ports taken). Node's `process.ppid` is read once at start, so the parent is checked by its pid.
 */
export function stopRequested(proc: NodeJS.Process, clock: Clock): Promise<string> {
  const parent = proc.ppid;
  return new Promise((resolve) => {
    let timer: unknown;
    const stop = (reason: string) => {
      for (const signal of SIGNALS) proc.removeListener(signal, onSignal);
      clock.clearTimeout(timer);
      resolve(reason);
    };
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    for (const signal of SIGNALS) proc.on(signal, onSignal);
    // Started by init (or as a container's first process) there is no parent to outlive.
    if (parent <= 1) return;
    const checkParent = () => {
      if (!isProcessAlive(parent)) stop(`the process that started it (PID ${parent}) is gone`);
      else timer = clock.setTimeout(checkParent, PARENT_CHECK_MS);
    };
    timer = clock.setTimeout(checkParent, PARENT_CHECK_MS);
  });
}
