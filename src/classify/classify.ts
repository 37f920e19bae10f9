import type { EventSpec, FunctionModel, ServiceModel } from '../service/model';
import { batchSettings, type BatchSettings } from './batch';
import { retryPolicy, type RetryPolicy } from './retry';
import { EVENT_TABLE, type SourceClass } from './table';

export interface ClassifiedEvent extends SourceClass {
  spec: EventSpec;
  retry: RetryPolicy;
  batch?: BatchSettings;
}

/** The class of one event: the table row with its variant applied. */
export function classOf(spec: EventSpec): SourceClass {
  const row = EVENT_TABLE[spec.type] as (typeof EVENT_TABLE)[EventSpec['type']] & {
    variant?: (s: EventSpec) => Partial<SourceClass>;
  };
  const { variant, ...base } = row;
  return { ...base, ...variant?.(spec) };
}

export function classify(spec: EventSpec, fn: FunctionModel, service: ServiceModel): ClassifiedEvent {
  const sourceClass = classOf(spec);
  return {
    ...sourceClass,
    spec,
    retry: retryPolicy(spec, sourceClass, fn, service),
    batch: batchSettings(spec),
  };
}

/** Every source of a function in report order: its events, its function URL, the routes it authorizes. */
export function sourcesOf(fn: FunctionModel): EventSpec[] {
  return [...fn.events, ...(fn.url ? [fn.url] : []), ...fn.authorizes];
}
