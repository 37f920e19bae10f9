import { sampleEvent, type SampleContext } from '../../../src/push/samples';
import type { EventSpec, EventType, ServiceModel } from '../../../src/service/model';
import { modelOf, type ServiceConfig } from '../../helpers/service';

/** 2024-05-06T07:08:09.123Z: the samples' `now`. */
export const NOW = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123));

/** A source of ids that repeats from the start in every context, so two samples can be compared. */
export function ids(): () => string {
  let n = 0;
  return () => `5a1e0000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/** The EventSpec variant of an event type (RuleEvent for both cloudwatchEvent and eventBridge). */
export type SpecOf<T extends EventType> = EventSpec extends infer S
  ? S extends { type: infer U }
    ? T extends U
      ? S
      : never
    : never
  : never;

export interface Sampled<T extends EventType> {
  model: ServiceModel;
  spec: SpecOf<T>;
  /** A fresh context (ids from the start) for the function, with these overrides. */
  context: (overrides?: unknown) => SampleContext;
  /** What sampleEvent makes of the spec in a fresh context. */
  sample: (overrides?: unknown) => unknown;
}

/**
 * The first `type` event of the service's first function (`url` is its function URL), with contexts to
 * make samples of it.
 */
export function sourceOf<T extends EventType>(type: T, config: ServiceConfig, nth = 0): Sampled<T> {
  const model = modelOf(config);
  const fn = model.functions[0];
  if (fn === undefined) throw new Error('the service has no function');
  const sources: EventSpec[] = [...fn.events, ...(fn.url ? [fn.url] : []), ...fn.authorizes];
  const spec = sources.filter((e): e is SpecOf<T> => e.type === type)[nth];
  if (spec === undefined) throw new Error(`no ${type} event`);
  const context = (overrides?: unknown): SampleContext => ({
    service: model,
    fn,
    now: NOW,
    newId: ids(),
    overrides,
  });
  return { model, spec, context, sample: (overrides) => sampleEvent(spec, context(overrides)) };
}

/** A service of one function `fn` with these events. */
export const service = (events: unknown[], extra: Partial<ServiceConfig> = {}): ServiceConfig => ({
  functions: { fn: { handler: 'handler.main', events } },
  ...extra,
});
