import type { ConfigReader } from '../reader';
import type { Catalog } from '../references';

export interface EventContext {
  index: number;
  catalog: Catalog;
  provider: { httpApiPayload: '1.0' | '2.0'; websocketRouteSelection: string };
  place: { region: string; account: string };
}

export type EventParser<T> = (reader: ConfigReader, context: EventContext) => T;
