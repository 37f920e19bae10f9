import type { EventSpec, EventType } from '../service/model';
import { classOf } from './classify';
import { EVENT_TABLE, type Model, type SourceClass } from './table';

/** What invokes a function besides its event sources: the Invoke API, and async destinations. */
export type DirectKind = 'invoke' | 'destination';

/**
 * Where an invocation comes from, stamped once by the adapter that makes it: the log, the async queue
 * and everything that observes invocations read this record; nobody parses a string.
 */
export interface Origin {
  /** The event key of the source (`http`, `s3`, `sqs`, ...), or a direct kind. */
  kind: EventType | DirectKind;
  model: Model | 'direct';
  /** Which resource and what happened: `POST /jobs`, `uploads ObjectCreated:Put`, `jobs`. */
  detail?: string;
}

/** What an embedded service says of the source of a delivery; the push adapter classifies it. */
export type SourceOrigin = { kind: EventType; detail: string };

/** An adapter's invocations: their origin and the invocation type the source uses. */
export interface SourceInvocation {
  origin: Origin;
  type: 'RequestResponse' | 'Event';
}

/** The one mapping from a class's sync/async to the Invoke API's invocation type. */
const invocationTypeOf = (sourceClass: SourceClass) =>
  sourceClass.invocation === 'async' ? ('Event' as const) : ('RequestResponse' as const);

const of = (sourceClass: SourceClass, kind: EventType, detail?: string): SourceInvocation => ({
  origin: { kind, model: sourceClass.model, detail },
  type: invocationTypeOf(sourceClass),
});

/** How an event's invocations are made, from its class (variants included). */
export function sourceInvocation(spec: EventSpec, detail?: string): SourceInvocation {
  return of(classOf(spec), spec.type, detail);
}

/**
 * For a source that reaches a function without an event in serverless.yml (a subscription, rule or
 * notification made through an AWS API): its event type's class, which no setting varies.
 */
export function sourceInvocationOfType(kind: EventType, detail?: string): SourceInvocation {
  const { model, invocation, service } = EVENT_TABLE[kind];
  return of({ model, invocation, service }, kind, detail);
}

export const directOrigin = (kind: DirectKind, detail?: string): Origin => ({
  kind,
  model: 'direct',
  detail,
});

const LABELS: Partial<Record<Origin['kind'], string>> = {
  invoke: 'Invoke API',
  destination: 'destination of',
  unknown: '',
};

/** The origin as the log shows it: `http POST /jobs`, `Invoke API`, `destination of api`. */
export function originText(origin: Pick<Origin, 'kind' | 'detail'>): string {
  const label = LABELS[origin.kind] ?? origin.kind;
  const { detail } = origin;
  return label && detail ? `${label} ${detail}` : label || detail || '';
}
