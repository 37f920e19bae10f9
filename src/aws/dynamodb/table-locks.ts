/**
 * Serialises the writes on tables: a write waits for the earlier writes on each of its tables, so the
 * images read around it are its own. Tails are registered synchronously, so locks on several tables
 * taken at once cannot deadlock.
 */
export class TableLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async with<T>(tables: string[], work: () => Promise<T>): Promise<T> {
    const names = [...new Set(tables)];
    const earlier = names.map((name) => this.tails.get(name));
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const name of names) this.tails.set(name, done);
    await Promise.all(earlier);
    try {
      return await work();
    } finally {
      release();
      for (const name of names) if (this.tails.get(name) === done) this.tails.delete(name);
    }
  }
}
