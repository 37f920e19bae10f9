import type { BatchSettings } from '../classify/batch';
import { classify, sourcesOf } from '../classify/classify';
import type { RetryPolicy } from '../classify/retry';
import type { Invocation, Model } from '../classify/table';
import type { EventSpec, FunctionModel, ServiceModel } from '../service/model';
import { labelOf } from '../service/references';
import { describeResource, describeRetry } from './describe';
import { findingsFor, LEVELS, type Finding, type Level } from './findings';

export interface ReportEvent {
  index: number;
  type: string;
  service: string;
  model: Model;
  invocation: Invocation;
  resource: string;
  retry: RetryPolicy & { summary: string };
  batch?: BatchSettings;
  /** The event's settings as read, with defaults applied. */
  config: Omit<EventSpec, 'type' | 'index'>;
}

export interface ReportFunction {
  name: string;
  deployedName: string;
  handler?: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  reservedConcurrency?: number;
  async: {
    maximumRetryAttempts: number;
    maximumEventAge: number;
    onSuccess?: string;
    onFailure?: string;
    onError?: string;
  };
  events: ReportEvent[];
}

export interface Report {
  service: string;
  stage: string;
  region: string;
  functions: ReportFunction[];
  findings: Finding[];
  summary: {
    functions: number;
    sources: number;
    /** Count by "model/invocation", e.g. "push/async". */
    byClass: Record<string, number>;
    byType: Record<string, number>;
    findings: Record<Level, number>;
  };
}

export function buildReport(service: ServiceModel, only?: string): Report {
  const functions = only ? service.functions.filter((fn) => fn.key === only) : service.functions;
  const built = functions.map((fn) => {
    const events = sourcesOf(fn).map((spec) => classify(spec, fn, service));
    return { fn, events, findings: findingsFor(fn, events, service) };
  });
  const rows = built.map(({ fn, events }) => ({
    ...functionRow(fn),
    events: events.map(({ spec, service: awsService, model, invocation, retry, batch }): ReportEvent => {
      const { type, index, ...config } = spec;
      return {
        index,
        type: spec.type === 'unknown' ? spec.key : type,
        service: awsService,
        model,
        invocation,
        resource: describeResource(spec),
        retry: { ...retry, summary: describeRetry(retry) },
        batch,
        config,
      };
    }),
  }));
  const findings = built.flatMap((b) => b.findings);
  const allEvents = rows.flatMap((r) => r.events);
  return {
    service: service.service,
    stage: service.stage,
    region: service.region,
    functions: rows,
    findings,
    summary: {
      functions: rows.length,
      sources: allEvents.length,
      byClass: countBy(allEvents.map((e) => `${e.model}/${e.invocation}`)),
      byType: countBy(allEvents.map((e) => e.type)),
      findings: Object.fromEntries(
        LEVELS.map((l) => [l, findings.filter((f) => f.level === l).length]),
      ) as Record<Level, number>,
    },
  };
}

function functionRow(fn: FunctionModel): Omit<ReportFunction, 'events'> {
  const label = (ref: FunctionModel['onError']) => ref && labelOf(ref);
  return {
    name: fn.key,
    deployedName: fn.name,
    handler: fn.handler,
    runtime: fn.runtime,
    timeout: fn.timeout,
    memorySize: fn.memorySize,
    reservedConcurrency: fn.reservedConcurrency,
    async: {
      maximumRetryAttempts: fn.maximumRetryAttempts,
      maximumEventAge: fn.maximumEventAge,
      onSuccess: label(fn.destinations.onSuccess),
      onFailure: label(fn.destinations.onFailure),
      onError: label(fn.onError),
    },
  };
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** True when a finding at or above `level` exists (error > warning > info). */
export function hasFindingsAtOrAbove(report: Report, level: Level): boolean {
  const threshold = LEVELS.indexOf(level);
  return report.findings.some((f) => LEVELS.indexOf(f.level) <= threshold);
}
