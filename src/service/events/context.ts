import type { ConfigReader } from '../reader';
import type { Catalog } from '../references';

export interface EventContext {
  index: number;
  catalog: Catalog;
  provider: {
    httpApiPayload: '1.0' | '2.0';
    httpApiAuthorizers: Record<string, unknown>;
    websocketRouteSelection: string;
    /** provider.apiGateway.request.schemas: models `http` events name in `request.schemas`. */
    restSchemas: Record<string, unknown>;
    /** provider.s3: bucket settings by the name events use for them. */
    s3Buckets: Record<string, unknown>;
  };
  place: { region: string; account: string };
}

export type EventParser<T> = (reader: ConfigReader, context: EventContext) => T;
