import { AwsEndpoint } from '../aws/endpoint';
import { LambdaApi } from '../aws/lambda-api';
import { ConfigError } from '../errors';
import type { AsyncSettings } from '../lambda/async-engine';
import { AsyncStore } from '../lambda/async-store';
import { systemClock } from '../lambda/clock';
import { functionArn } from '../lambda/environment';
import { openStateDatabase, type Db } from '../state/database';
import { lambdaDeliverer } from '../push/deliver';
import { embeddedServices } from './aws-services';
import type { DynamoDbService } from '../aws/dynamodb/dynamodb-service';
import type { SqsService } from '../aws/sqs/sqs-service';
import { Destinations } from './destinations';
import { FunctionPool } from '../lambda/function-pool';
import { LambdaService } from '../lambda/lambda-service';
import { HttpFront, type FrontRoute } from '../push/http/http-server';
import { eventBridgeScheduledRules, scheduledRules, Scheduler } from '../push/schedule/scheduler';
import { WebsocketFront } from '../push/websocket/websocket-server';
import { SourceWatcher } from '../runtime/source-watcher';
import type { FunctionModel, ServiceModel } from '../service/model';
import { functionConfig } from './function-config';
import type { ConsoleOutput } from './output';
import { Runtimes } from './runtimes';

export interface EmulatorOptions {
  host: string;
  port: number;
  awsPort: number;
  websocketPort: number;
  /** Instances per function when it sets no reservedConcurrency. */
  maxConcurrency: number;
  reload: boolean;
  stagePrefix: boolean;
  /** Only these functions (all when absent). */
  functions?: string[];
  stateDir: string;
  /** Start with an empty state folder. */
  reset: boolean;
  /** Multiplies AWS's async retry delays (1 = AWS's timing). */
  retryDelayScale: number;
  hostEnv: NodeJS.ProcessEnv;
}

export interface Endpoints {
  aws: string;
  /** The HTTP fronts' base URL and routes, when the service has any. */
  http?: { url: string; routes: FrontRoute[] };
  /** The WebSocket front's URL and routes, when the service has any. */
  websocket?: { url: string; routes: string[] };
  /** `function: expression` of every schedule that runs. */
  schedules: string[];
}

/** The composition root of `sls emulate`: builds every part from the ServiceModel, owns the ports. */
export class Emulator {
  private constructor(
    private readonly db: Db,
    private readonly sqs: SqsService,
    private readonly dynamodb: DynamoDbService,
    private readonly lambda: LambdaService,
    private readonly aws: AwsEndpoint,
    private readonly http: HttpFront,
    private readonly websocket: WebsocketFront,
    private readonly scheduler: Scheduler,
    private readonly pools: FunctionPool[],
    private readonly watcher: SourceWatcher | undefined,
    readonly endpoints: Endpoints,
  ) {}

  static async start(
    model: ServiceModel,
    options: EmulatorOptions,
    output: ConsoleOutput,
  ): Promise<Emulator> {
    const selected = selectFunctions(model, options.functions);
    const runtimes = new Runtimes(model.serviceDir, options.stateDir);
    // Everything that can be wrong with the configuration is found before a port is opened.
    const draft = selected.map((fn) => {
      const config = functionConfig(model, fn, options.hostEnv, '');
      const runtime = runtimes.for(config);
      runtime.check(config);
      return { fn, runtime };
    });
    const served = { ...model, functions: selected };
    const db = openStateDatabase(options.stateDir, { reset: options.reset });
    const deliver = lambdaDeliverer({ invoke: (name, request) => lambda.invoke(name, request) }, (line) =>
      output.line(line),
    );
    const services = embeddedServices(served, db, options.stateDir, deliver, (line) => output.line(line));
    await services.dynamodb.start();
    const aws = new AwsEndpoint([]);
    const awsUrl = await aws.start(options.host, options.awsPort).catch(stopping(services.dynamodb));
    const pools = draft.map(
      ({ fn, runtime }) =>
        new FunctionPool(
          functionConfig(model, fn, options.hostEnv, awsUrl),
          runtime,
          fn.reservedConcurrency ?? options.maxConcurrency,
        ),
    );
    const destinations = new Destinations({ invoker: () => lambda, ...services }, model, db, (key, line) =>
      output.log(key, line),
    );
    const lambda: LambdaService = new LambdaService(pools, output, {
      store: new AsyncStore(db),
      clock: systemClock,
      retryDelayScale: options.retryDelayScale,
      settings: new Map(selected.map((fn) => [fn.key, asyncSettings(model, fn)])),
      destinations,
    });
    aws.add(new LambdaApi(lambda));
    aws.add(services.sqs);
    aws.add(services.sns);
    aws.add(services.events);
    aws.add(services.dynamodb);
    aws.add(services.kinesis);
    // S3 addresses objects by path: it takes what no other service claims.
    aws.add(services.s3);
    const http = new HttpFront(served, lambda, {
      host: options.host,
      port: options.port,
      noStagePrefix: !options.stagePrefix,
      binaryMediaTypes: model.api.binaryMediaTypes,
      httpApiCors: model.api.httpApiCors,
      httpCors: (_fn, event) => event.corsSettings,
      urlCors: (fn) => fn.url?.corsSettings,
    });
    const httpUrl = http.routes().length
      ? (await http.start().catch(stopping(aws, services.dynamodb))).url
      : undefined;
    const websocket = new WebsocketFront(served, lambda, { host: options.host, port: options.websocketPort });
    aws.add(websocket.connectionsApi);
    const websocketUrl = websocket.routes().length
      ? (await websocket.start().catch(stopping(aws, http, services.dynamodb))).url
      : undefined;
    const watcher = options.reload ? watchSources(pools, runtimes, output) : undefined;
    lambda.start();
    const rules = [...scheduledRules(selected), ...eventBridgeScheduledRules(services.rules)];
    const scheduler = new Scheduler(rules, lambda, systemClock, model, (key, line) => output.log(key, line));
    scheduler.start();
    return new Emulator(
      db,
      services.sqs,
      services.dynamodb,
      lambda,
      aws,
      http,
      websocket,
      scheduler,
      pools,
      watcher,
      {
        schedules: rules.map((rule) => `${rule.target.replace(/^.*:function:/, '')}: ${rule.expression}`),
        aws: awsUrl,
        http: httpUrl === undefined ? undefined : { url: httpUrl, routes: http.routes() },
        websocket: websocketUrl === undefined ? undefined : { url: websocketUrl, routes: websocket.routes() },
      },
    );
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.scheduler.stop();
    this.lambda.stop();
    this.sqs.stop();
    await this.http.stop();
    await this.websocket.stop();
    await this.aws.stop();
    await this.dynamodb.stop();
    await Promise.all(this.pools.map((pool) => pool.stop()));
    this.db.close();
  }
}

/** When a later part fails to start, the parts already listening close before the error surfaces. */
const stopping =
  (...started: Array<{ stop(): Promise<void> }>) =>
  async (error: unknown): Promise<never> => {
    await Promise.all(started.map((part) => part.stop()));
    throw error;
  };

function asyncSettings(model: ServiceModel, fn: FunctionModel): AsyncSettings {
  return {
    functionArn: functionArn(model, fn),
    maximumRetryAttempts: fn.maximumRetryAttempts,
    maximumEventAge: fn.maximumEventAge,
    reservedConcurrency: fn.reservedConcurrency,
    onSuccess: fn.destinations.onSuccess,
    onFailure: fn.destinations.onFailure,
    deadLetter: fn.onError,
  };
}

function selectFunctions(model: ServiceModel, only: string[] | undefined) {
  if (!only) return model.functions;
  const unknown = only.filter((key) => !model.functions.some((fn) => fn.key === key));
  if (unknown.length) {
    throw new ConfigError(
      `--function ${unknown.join(', ')}: no such function (functions: ${model.functions.map((fn) => fn.key).join(', ')})`,
      'EMULATE_FUNCTION_NOT_FOUND',
    );
  }
  return model.functions.filter((fn) => only.includes(fn.key));
}

/** Hot reload: when a function's code changes, later invocations run on new instances. */
function watchSources(pools: FunctionPool[], runtimes: Runtimes, output: ConsoleOutput): SourceWatcher {
  const byKey = new Map(pools.map((pool) => [pool.config.key, pool]));
  const sourcesOf = (pool: FunctionPool) => runtimes.for(pool.config).sources?.(pool.config) ?? [];
  const watcher = new SourceWatcher((keys) => {
    for (const key of keys) {
      const pool = byKey.get(key);
      if (!pool) continue;
      runtimes.for(pool.config).codeChanged?.(pool.config);
      pool.reload();
      watcher.watch(key, sourcesOf(pool));
      output.line(`↻ ${key}: code changed, new invocations use new instances`);
    }
  });
  for (const pool of pools) watcher.watch(pool.config.key, sourcesOf(pool));
  return watcher;
}
