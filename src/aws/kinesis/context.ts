import type { Clock } from '../../clock';
import type { SettingsStore } from './settings-store';
import type { KinesisStore } from './store';

/** What the operations share: the stores, where the service runs, and its clock. */
export interface KinesisContext {
  store: KinesisStore;
  settings: SettingsStore;
  region: string;
  accountId: string;
  clock: Clock;
}
