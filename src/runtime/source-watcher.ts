import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

const SETTLE_MS = 50;

/**
 * Watches the files each function's code is made of and reports which functions changed. It watches
 * directories rather than files, so editors that save by renaming are seen too.
 */
export class SourceWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly functionsOf = new Map<string, Set<string>>();
  private changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onChange: (functionKeys: string[]) => void) {}

  /** Sets the files of one function (replacing what it had). */
  watch(functionKey: string, files: string[]): void {
    for (const keys of this.functionsOf.values()) keys.delete(functionKey);
    for (const file of files) {
      const keys = this.functionsOf.get(file) ?? new Set<string>();
      keys.add(functionKey);
      this.functionsOf.set(file, keys);
      this.watchDirectory(path.dirname(file));
    }
  }

  private watchDirectory(dir: string) {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => name && this.touched(path.join(dir, name.toString())));
      watcher.on('error', () => this.watchers.delete(dir));
      this.watchers.set(dir, watcher);
    } catch {
      // A directory that vanished: nothing to watch there.
    }
  }

  private touched(file: string) {
    const keys = this.functionsOf.get(file);
    if (!keys?.size) return;
    for (const key of keys) this.changed.add(key);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const changed = [...this.changed];
      this.changed = new Set();
      this.onChange(changed);
    }, SETTLE_MS);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
