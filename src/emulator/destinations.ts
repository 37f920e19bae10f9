import type { Delivery, DestinationSender } from '../lambda/async-engine';
import type { Invoker } from '../lambda/types';
import type { Reference } from '../service/model';
import type { Db } from '../state/database';

/**
 * Delivers async invocation records to destinations and failed events to DLQs. A function target is
 * invoked asynchronously with the record; a target kind that is not emulated yet keeps the delivery in
 * the state database (table `lambda_parked_deliveries`) and says so, rather than dropping it.
 */
export class Destinations implements DestinationSender {
  private readonly park;

  constructor(
    private readonly invoker: () => Invoker,
    db: Db,
    private readonly log: (functionKey: string, line: string) => void,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS lambda_parked_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, function_key TEXT NOT NULL, target TEXT NOT NULL,
      kind TEXT NOT NULL, body TEXT NOT NULL, parked_at TEXT NOT NULL)`);
    const insert = db.prepare(
      'INSERT INTO lambda_parked_deliveries (function_key, target, kind, body, parked_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.park = (functionKey: string, target: Reference, delivery: Delivery) =>
      insert.run(functionKey, target.text, delivery.kind, JSON.stringify(delivery), new Date().toISOString());
  }

  async send(target: Reference, delivery: Delivery, functionKey: string): Promise<void> {
    if (target.kind === 'function' && target.name && delivery.kind === 'destination') {
      await this.invoker().invoke(target.name, {
        payload: JSON.stringify(delivery.record),
        type: 'Event',
        source: `destination of ${functionKey}`,
      });
      return;
    }
    this.park(functionKey, target, delivery);
    this.log(
      functionKey,
      `${delivery.kind} for ${target.text} (${target.kind ?? 'unknown kind'}) kept in the state database: delivery to this kind of target is not emulated yet`,
    );
  }
}
