import type { Clock } from '../../clock';
import type { KinesisStore } from './store';

/** What the operations share: the store, where the service runs, and its clock. */
export interface KinesisContext {
  store: KinesisStore;
  region: string;
  accountId: string;
  clock: Clock;
}
