import { AwsEndpoint } from '../aws/endpoint';
import { LambdaApi } from '../aws/lambda-api';
import { LambdaRecursionConfigApi } from '../aws/lambda-recursion-config';
import { passthroughForwarder } from '../aws/passthrough';
import { UnemulatedServices } from '../aws/unemulated';
import { StsService } from '../aws/sts/sts-service';
import { placeholderCredentials } from '../lambda/credentials';
import { ConfigError } from '../errors';
import type { AsyncSettings } from '../lambda/async-engine';
import { AsyncStore } from '../lambda/async-store';
import type { Clock } from '../clock';
import { executionRoleArn, functionArn } from '../service/arn';
import { openStateDatabase, type Db } from '../state/database';
import { GroupCommit } from '../state/group-commit';
import { lockStateFolder, type StateLock } from '../state/lock';
import { lambdaDeliverer } from '../push/deliver';
import { s3Service } from './aws-services';
import { Regions } from './regions';
import { EventSourceMappings } from '../pull/mappings';
import { assembleLambda } from '../lambda/assemble';
import type { AsyncEngine } from '../lambda/async-engine';
import { Destinations } from '../lambda/destinations';
import { FunctionPool } from '../lambda/function-pool';
import type { LambdaService } from '../lambda/lambda-service';
import type { InvocationSink } from '../lambda/invocation-runner';
import { destinationPort } from './destination-port';
import { HttpFront, type FrontRoute } from '../push/http/http-server';
import { eventBridgeScheduledRules, scheduledRules, Scheduler } from '../push/schedule/scheduler';
import { WebsocketFront } from '../push/websocket/websocket-server';
import { SourceWatcher } from '../runtime/source-watcher';
import type { InvokeOutcome, InvokeRequest } from '../lambda/types';
import type { FunctionModel, ServiceModel } from '../service/model';
import { createdResources, type CreatedResources } from './created-resources';
import { functionConfig } from './function-config';
import { Runtimes } from './runtimes';
import { setupNotes } from './setup-notes';
import { InvocationHistory } from '../live/history';
import { LiveView, LIVE_VIEW_PATH } from '../live/live-view';
import { QueueActions } from '../live/queue-actions';
import { EmbeddedServices } from '../live/services';
import { LiveState } from '../live/state';
import { Checkpoints } from '../pull/checkpoints';

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
  /** Start with an empty state folder (`'state'`: keeping the caches of built code). */
  reset: boolean | 'state';
  /** Multiplies AWS's async retry delays (1 = AWS's timing). */
  retryDelayScale: number;
  hostEnv: NodeJS.ProcessEnv;
  /** The emulator's time: AWS's delays, timeouts, schedules and the times its events carry. */
  clock: Clock;
  /** The time handlers run in (their deadline and timeout): real, even when `clock` is virtual. */
  handlerClock: Clock;
}

/** Where the emulator writes: its own lines, and what invocations do. */
export interface EmulatorOutput extends InvocationSink {
  line(text: string): void;
}

export interface Endpoints {
  aws: string;
  /** The live view's page (on the AWS endpoint's port). */
  liveView: string;
  /** The HTTP fronts' base URL and routes, when the service has any. */
  http?: { url: string; routes: FrontRoute[] };
  /** The WebSocket front's URL and routes, when the service has any. */
  websocket?: { url: string; routes: string[] };
  /** Every schedule that runs: the function (key, else ARN), its expression and its next fire time. */
  schedules: Array<{ function: string; expression: string; next?: Date }>;
  /** `function ← source (batch N)` of every event source mapping. */
  mappings: string[];
  /** The tables, queues, topics, buckets, streams and buses the embedded services created. */
  resources: CreatedResources;
}

/** What a running emulator stops, in the order it stops them. */
interface Parts {
  lambda: LambdaService;
  runtimes: Runtimes;
  lock: StateLock;
  db: Db;
  regions: Regions;
  mappings: EventSourceMappings;
  engine: AsyncEngine;
  aws: AwsEndpoint;
  liveView: LiveView;
  http: HttpFront;
  websocket: WebsocketFront;
  scheduler: Scheduler;
  pools: FunctionPool[];
  watcher: SourceWatcher | undefined;
}

/** The composition root of `sls emulate`: builds every part from the ServiceModel, owns the ports. */
/** Instances kept from an emulator that was stopped to start again empty. */
interface Warm {
  pools: FunctionPool[];
  runtimes: Runtimes;
}

export class Emulator {
  private constructor(
    private readonly parts: Parts,
    readonly endpoints: Endpoints,
    private readonly started: { model: ServiceModel; options: EmulatorOptions; output: EmulatorOutput },
  ) {}

  static async start(
    model: ServiceModel,
    options: EmulatorOptions,
    output: EmulatorOutput,
    warm?: Warm,
  ): Promise<Emulator> {
    const { clock } = options;
    const startedAt = new Date(clock.now());
    const selected = selectFunctions(model, options.functions);
    const runtimes =
      warm?.runtimes ??
      new Runtimes(model.serviceDir, options.stateDir, (line) => output.line(line), model.build.esbuild);
    // Everything that can be wrong with the configuration is found before a port is opened.
    const draft = warm
      ? []
      : selected.map((fn) => {
          const config = functionConfig(model, fn, options.hostEnv, '', startedAt);
          const runtime = runtimes.for(config);
          runtime.check(config);
          return { fn, runtime };
        });
    if (!warm) for (const note of setupNotes(model, selected)) output.line(note);
    const served = { ...model, functions: selected };
    const commits = new GroupCommit((line) => output.line(line));
    const { lock, db } = openState(options, commits);
    const deliver = lambdaDeliverer({ invoke: (name, request) => lambda.invoke(name, request) }, (line) =>
      output.line(line),
    );
    const embedded = {
      db,
      commits,
      stateDir: options.stateDir,
      clock,
      deliver,
      log: (line: string) => output.line(line),
    };
    const regions = new Regions(served, embedded);
    const services = regions.home;
    const s3 = s3Service(served, embedded);
    await regions.start();
    const committed = () => commits.committed();
    const aws = new AwsEndpoint([], {
      committed,
      host: options.host,
      allowedHosts: model.emulate.allowedHosts,
      log: (line) => output.line(line),
    });
    const awsUrl = await aws.start(options.host, options.awsPort).catch(stopping(regions));
    const pools =
      warm?.pools ??
      draft.map(
        ({ fn, runtime }) =>
          new FunctionPool(
            functionConfig(model, fn, options.hostEnv, awsUrl, startedAt),
            runtime,
            fn.reservedConcurrency ?? options.maxConcurrency,
            clock,
          ),
      );
    const log = (key: string, line: string) => output.log(key, line);
    const invoker = { invoke: (name: string, request: InvokeRequest) => lambda.invoke(name, request) };
    const destinations = new Destinations(
      destinationPort(regions.servicesOf, invoker, s3),
      model,
      db,
      clock,
      log,
    );
    const history = new InvocationHistory(clock);
    const asyncStore = new AsyncStore(db);
    const { lambda, engine }: { lambda: LambdaService; engine: AsyncEngine } = assembleLambda({
      pools,
      sink: bothSinks(output, history),
      clock,
      handlerClock: options.handlerClock,
      async: {
        store: asyncStore,
        retryDelayScale: options.retryDelayScale,
        settings: new Map(selected.map((fn) => [fn.key, asyncSettings(model, fn)])),
        destinations,
      },
    });
    // The Invoke API first: its calls, the most frequent, are recognised by path before anything else.
    aws.add(new LambdaApi(lambda));
    aws.add(new LambdaRecursionConfigApi(lambda));
    aws.add(unemulatedServices(served, pools, options, (line) => output.line(line)));
    for (const service of regions.endpointServices()) aws.add(service);
    const checkpoints = new Checkpoints(db);
    const embeddedServices = new EmbeddedServices((request) => aws.route(request), served.region);
    const liveView = new LiveView({
      model: served,
      history,
      invoker: lambda,
      state: new LiveState(embeddedServices, asyncStore, checkpoints),
      queues: new QueueActions(embeddedServices),
      clock,
      uiClock: options.handlerClock,
    });
    aws.add(liveView);
    // S3 addresses objects by path: it takes what no other service claims.
    aws.add(s3);
    const http = new HttpFront(served, lambda, {
      committed,
      host: options.host,
      port: options.port,
      noStagePrefix: !options.stagePrefix,
      binaryMediaTypes: model.api.binaryMediaTypes,
      httpApiCors: model.api.httpApiCors,
      allowedHosts: model.emulate.allowedHosts,
      clock,
      log: (line) => output.line(line),
    });
    const httpUrl = http.routes().length ? (await http.start().catch(stopping(aws, regions))).url : undefined;
    const websocket = new WebsocketFront(served, lambda, {
      host: options.host,
      port: options.websocketPort,
      allowedHosts: model.emulate.allowedHosts,
      clock,
      log: (line) => output.line(line),
    });
    aws.add(websocket.connectionsApi);
    const websocketUrl = websocket.routes().length
      ? (await websocket.start().catch(stopping(aws, http, regions))).url
      : undefined;
    const watcher = options.reload ? watchSources(pools, runtimes, output) : undefined;
    engine.start();
    const rules = [...scheduledRules(selected), ...eventBridgeScheduledRules(services.rules)];
    const scheduler = new Scheduler(rules, lambda, clock, model, (key, line) => output.log(key, line));
    scheduler.start();
    const mappings = new EventSourceMappings(
      served,
      {
        invoker: lambda,
        clock,
        checkpoints,
        embedded: { sqs: services.sqs, kinesis: services.kinesis, dynamodbStreams: services.dynamodb },
        sendFailure: (target, record, key) => destinations.sendBatchFailure(target, record, key),
        log: (key, line) => output.log(key, line),
        outcome: (requestId, mark) => history.outcome(requestId, mark),
        env: options.hostEnv,
      },
      (fn) => fn.reservedConcurrency ?? options.maxConcurrency,
    );
    await mappings.start();
    lock.update(listeningPorts({ 'AWS endpoint': awsUrl, HTTP: httpUrl, WebSocket: websocketUrl }));
    const parts = {
      lambda,
      runtimes,
      lock,
      db,
      regions,
      mappings,
      engine,
      aws,
      liveView,
      http,
      websocket,
      scheduler,
      pools,
      watcher,
    };
    const now = new Date(clock.now());
    return new Emulator(
      parts,
      {
        schedules: rules.map((rule) => ({
          function: rule.target.replace(/^.*:function:/, ''),
          expression: rule.expression,
          next: rule.next(now),
        })),
        mappings: mappings.summaries.map(({ functionKey, text }) => `${functionKey} ← ${text}`),
        aws: awsUrl,
        liveView: `${awsUrl}${LIVE_VIEW_PATH}`,
        http: httpUrl === undefined ? undefined : { url: httpUrl, routes: http.routes() },
        websocket: websocketUrl === undefined ? undefined : { url: websocketUrl, routes: websocket.routes() },
        resources: createdResources(served, awsUrl),
      },
      { model, options, output },
    );
  }

  /**
   * Stops, empties the state folder and starts again on the same ports, as at a first start of the
   * service, with the functions' instances kept warm: the testing API's reset. `stopped` runs in
   * between (a virtual clock forgets the stopped parts' timers).
   */
  async restartEmpty(stopped: () => void = () => undefined): Promise<Emulator> {
    await this.stopServices();
    stopped();
    const { model, options, output } = this.started;
    const { aws, http, websocket } = this.endpoints;
    const ports = {
      awsPort: portOf(aws),
      port: http ? portOf(http.url) : options.port,
      websocketPort: websocket ? portOf(websocket.url) : options.websocketPort,
    };
    const { pools, runtimes } = this.parts;
    return Emulator.start(model, { ...options, ...ports, reset: 'state' }, output, { pools, runtimes });
  }

  /** Invokes a function as the Invoke API does (for callers in this process: the testing API). */
  invoke(functionName: string, request: InvokeRequest): Promise<InvokeOutcome> {
    return this.parts.lambda.invoke(functionName, request);
  }

  async stop(): Promise<void> {
    await this.stopServices();
    await Promise.all(this.parts.pools.map((pool) => pool.stop()));
  }

  /** Everything but the functions' instances, the state database and its lock last. */
  private async stopServices(): Promise<void> {
    const { lock, db, regions, mappings, engine, aws, liveView, http, websocket, scheduler, watcher } =
      this.parts;
    watcher?.close();
    scheduler.stop();
    // Pollers finish the batch in hand; long polls waiting on the embedded queues end at once.
    const mappingsStopped = mappings.stop();
    regions.stopPolls();
    await mappingsStopped;
    engine.stop();
    await http.stop();
    await websocket.stop();
    liveView.stop();
    await aws.stop();
    await regions.stop();
    db.close();
    lock.release();
  }
}

/** What invocations write goes to the emulator's output and to the live view's history. */
function bothSinks(output: InvocationSink, history: InvocationHistory): InvocationSink {
  return {
    started(functionKey, requestId) {
      output.started?.(functionKey, requestId);
      history.started(functionKey, requestId);
    },
    log(functionKey, line, requestId) {
      output.log(functionKey, line, requestId);
      history.log(functionKey, line, requestId);
    },
    invocation(summary) {
      output.invocation(summary);
      history.invocation(summary);
    },
    outcome: (requestId, mark) => history.outcome(requestId, mark),
  };
}

/** The state folder, claimed for this emulator (refused while another one runs on it), and its database. */
function openState(options: EmulatorOptions, commits: GroupCommit): { lock: StateLock; db: Db } {
  const { stateDir, awsPort, port, websocketPort } = options;
  const lock = lockStateFolder(stateDir, {
    'AWS endpoint': awsPort,
    HTTP: port,
    WebSocket: websocketPort,
  });
  try {
    return { lock, db: openStateDatabase(stateDir, { reset: options.reset, commits }) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

const portOf = (url: string) => Number(new URL(url).port);

function listeningPorts(urls: Record<string, string | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(urls).flatMap(([part, url]) =>
      url === undefined ? [] : [[part, Number(new URL(url).port)]],
    ),
  );
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

/** The calls of handlers to AWS services not emulated: forwarded when opted into, else refused; STS answered here. */
function unemulatedServices(
  model: ServiceModel,
  pools: FunctionPool[],
  { hostEnv, clock }: Pick<EmulatorOptions, 'hostEnv' | 'clock'>,
  log: (line: string) => void,
) {
  const byAccessKey = new Map(
    pools.map(({ config }) => [placeholderCredentials(config.name).AWS_ACCESS_KEY_ID, config]),
  );
  // Every function runs as the role the framework makes for the service (a function's own `role` is not read).
  const roleName = executionRoleArn(model).split('/').pop() as string;
  const sts = new StsService({
    accountId: model.accountId,
    clock,
    functionOf: (accessKey) => {
      const config = byAccessKey.get(accessKey);
      return config && { name: config.name, roleName };
    },
  });
  return new UnemulatedServices({
    passthrough: new Set(model.emulate.passthrough),
    forward: passthroughForwarder(hostEnv),
    functionOf: (accessKey) => byAccessKey.get(accessKey)?.key,
    log,
    local: { sts },
  });
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
function watchSources(pools: FunctionPool[], runtimes: Runtimes, output: EmulatorOutput): SourceWatcher {
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
