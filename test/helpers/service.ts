import { classify, sourcesOf, type ClassifiedEvent } from '../../src/classify/classify';
import type { RawService } from '../../src/host';
import type { ServiceModel } from '../../src/service/model';
import { readService } from '../../src/service/read-service';

/** The parts of serverless.yml (after variable resolution) a test gives; the rest is filled in. */
export interface ServiceConfig {
  functions: Record<string, unknown>;
  resources?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  custom?: Record<string, unknown>;
  service?: string;
}

/** The ServiceModel of a service deployed to stage `dev` in us-east-1. */
export function modelOf(config: ServiceConfig): ServiceModel {
  return readService(
    {
      service: config.service ?? 'svc',
      provider: { name: 'aws', ...config.provider },
      functions: config.functions as RawService['functions'],
      resources: { Resources: config.resources ?? {} },
      ...(config.custom ? { custom: config.custom } : {}),
    },
    { stage: 'dev', region: 'us-east-1', serviceDir: '/tmp/svc' },
  );
}

/** The classified sources (events, then the function URL) of the service's first function. */
export function classified(config: ServiceConfig): ClassifiedEvent[] {
  const model = modelOf(config);
  const fn = model.functions[0];
  if (fn === undefined) throw new Error('the service has no function');
  return sourcesOf(fn).map((spec) => classify(spec, fn, model));
}
