import { systemClock } from './clock';
import { EMULATE_DEFAULTS, type EmulateCliOptions } from './emulator/options';
import { ConfigError } from './errors';
import type { CommandDefinition, CommandExtension, CommandOption, PluginUtils, Serverless } from './host';
import { buildReport, hasFindingsAtOrAbove } from './report/build';
import { formatMarkdown } from './report/format-markdown';
import { formatMermaid } from './report/format-mermaid';
import { formatTable } from './report/format-table';
import { ACCOUNT_ID, DEFAULT_STATE_DIR, emulateSchema } from './service/emulate-settings';
import { excludeStateFromPackages } from './service/package-exclusions';
import { compilePluginResources } from './service/plugin-resources';
import { checkAwsProvider, readService } from './service/read-service';
import { RESOLVE_TO, writeResolvedService } from './service/resolved-service';

const FORMATS = ['table', 'json', 'markdown', 'mermaid', 'html'] as const;
const FAIL_LEVELS = ['error', 'warning'] as const;

interface ReportOptions {
  format?: string;
  function?: string;
  'fail-on'?: string;
}

interface EventOptions {
  event?: string;
  data?: string;
}

type Options = ReportOptions & EmulateCliOptions & EventOptions;

const STATE_DIR_OPTION: CommandOption = {
  usage: `Folder of the durable state (default: custom.emulate.stateDir, else ${DEFAULT_STATE_DIR} in the service)`,
  type: 'string',
};

/** `sls package` and `sls deploy` know the state folder to leave out of artifacts. */
const PACKAGING_OPTIONS = { 'state-dir': STATE_DIR_OPTION };

/** Colour only for a terminal, unless NO_COLOR says otherwise or FORCE_COLOR asks for it. */
function useColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return isTTY;
}

/** The Serverless Framework v3 adapter: commands, options, and ServerlessError at the edge. */
class ServerlessEmulatePlugin {
  readonly commands: Record<string, CommandDefinition | CommandExtension> = {
    package: { options: PACKAGING_OPTIONS },
    deploy: { options: PACKAGING_OPTIONS, commands: { function: { options: PACKAGING_OPTIONS } } },
    'invocation-report': {
      usage:
        'Show how AWS invokes each function: push or pull, sync or async, who retries, and what loses events',
      lifecycleEvents: ['report'],
      options: {
        format: { usage: `Output format: ${FORMATS.join(', ')} (default: table)`, type: 'string' },
        function: { usage: 'Report only this function', shortcut: 'f', type: 'string' },
        'fail-on': {
          usage: `Exit non-zero when a finding at or above this level exists: ${FAIL_LEVELS.join(', ')}`,
          type: 'string',
        },
      },
    },
    'emulate-event': {
      usage: 'Invoke a function of a running sls emulate with a sample event of one of its sources',
      lifecycleEvents: ['send'],
      options: {
        function: { usage: 'The function', shortcut: 'f', type: 'string', required: true },
        event: { usage: 'Which of its sources, from 0 in serverless.yml order (default: 0)', type: 'string' },
        data: { usage: 'JSON for the message, detail, body or key of the sample', type: 'string' },
        host: {
          usage: `Address of the running emulator (default: ${EMULATE_DEFAULTS.host})`,
          type: 'string',
        },
        'aws-port': { usage: `Its AWS endpoint port (default: ${EMULATE_DEFAULTS.awsPort})`, type: 'string' },
        'account-id': { usage: 'The account id it runs with (see emulate --account-id)', type: 'string' },
      },
    },
    emulate: {
      usage: 'Run the service locally with AWS invocation semantics until Ctrl-C',
      lifecycleEvents: ['start'],
      options: {
        host: { usage: `Address to listen on (default: ${EMULATE_DEFAULTS.host})`, type: 'string' },
        port: { usage: `HTTP port of the API fronts (default: ${EMULATE_DEFAULTS.port})`, type: 'string' },
        'aws-port': {
          usage: `Port of the AWS endpoint: Lambda Invoke API (default: ${EMULATE_DEFAULTS.awsPort})`,
          type: 'string',
        },
        'websocket-port': {
          usage: `Port of the WebSocket front (default: ${EMULATE_DEFAULTS.websocketPort})`,
          type: 'string',
        },
        'max-concurrency': {
          usage: `Instances per function without reservedConcurrency (default: ${EMULATE_DEFAULTS.maxConcurrency})`,
          type: 'string',
        },
        reload: {
          usage: 'Reload handlers when their code changes (default: true; --no-reload)',
          type: 'boolean',
        },
        'stage-prefix': {
          usage:
            'Serve REST API (http) routes under /<stage> as API Gateway does (default: true; --no-stage-prefix)',
          type: 'boolean',
        },
        function: { usage: 'Emulate only these functions (comma-separated)', shortcut: 'f', type: 'string' },
        'state-dir': STATE_DIR_OPTION,
        reset: { usage: 'Start with an empty state folder', type: 'boolean' },
        'account-id': {
          usage:
            'Account id in every ARN and queue URL (default: custom.emulate.accountId, else 000000000000)',
          type: 'string',
        },
        'retry-delay-scale': {
          usage: "Multiplies AWS's async retry delays (default: 1/60; 1 = AWS's timing)",
          type: 'string',
        },
      },
    },
  };

  readonly hooks: Record<string, () => Promise<void>>;

  constructor(
    private readonly serverless: Serverless,
    private readonly options: Options,
    private readonly utils: PluginUtils,
  ) {
    serverless.configSchemaHandler.defineCustomProperties({
      type: 'object',
      properties: { emulate: emulateSchema() },
    });
    this.hooks = {
      'invocation-report:report': () => this.atEdge(() => this.report()),
      'emulate:start': () => this.atEdge(() => this.emulate()),
      'emulate-event:send': () => this.atEdge(() => this.sendEvent()),
      'before:package:createDeploymentArtifacts': () => this.atEdge(() => this.excludeState()),
      'before:package:function:package': () => this.atEdge(() => this.excludeState()),
    };
  }

  private async atEdge(run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof ConfigError) throw new this.serverless.classes.Error(error.message, error.code);
      throw error;
    }
  }

  private async readModel() {
    const { raw, location } = await this.resolveService();
    return readService(raw, location);
  }

  /** The service as the framework resolved it, plugins' resources compiled in, and where it runs. */
  private async resolveService() {
    const provider = this.serverless.getProvider('aws');
    const accountId = this.options['account-id'];
    if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
      throw new ConfigError(`--account-id must be 12 digits, got "${accountId}"`, 'EMULATE_INVALID_OPTION');
    }
    // Before other plugins' hooks run: those of a plugin for another cloud have nothing to add here.
    checkAwsProvider(this.serverless.service);
    const failures = await compilePluginResources(
      this.serverless.service,
      this.serverless.pluginManager,
      this,
    );
    for (const { plugin, event, message } of failures) {
      this.utils.log.warning(
        `${plugin}: its ${event} hook failed without packaging (${message}); what it adds to the stack is left out`,
      );
    }
    const location = {
      stage: provider.getStage(),
      region: provider.getRegion(),
      serviceDir: this.serverless.serviceDir,
      accountId,
    };
    return { raw: this.serverless.service, location };
  }

  private async report(): Promise<void> {
    const format = this.choice('format', FORMATS) ?? 'table';
    const failOn = this.choice('fail-on', FAIL_LEVELS);
    const model = await this.readModel();
    const only = this.options.function;
    if (only !== undefined && !model.functions.some((fn) => fn.key === only)) {
      throw new ConfigError(
        `Function "${only}" doesn't exist in this service (functions: ${model.functions.map((fn) => fn.key).join(', ')})`,
        'EMULATE_FUNCTION_NOT_FOUND',
      );
    }
    const report = buildReport(model, only);
    if (format === 'json') this.utils.writeText(JSON.stringify(report, null, 2));
    else if (format === 'markdown') this.utils.writeText(formatMarkdown(report));
    else if (format === 'mermaid') this.utils.writeText(formatMermaid(report));
    // The page's layout engine loads only when a page is asked for.
    else if (format === 'html')
      this.utils.writeText((await import('./report/format-html.js')).formatHtml(report));
    else this.utils.writeText(formatTable(report, useColor(process.env, !!process.stdout.isTTY)));
    if (failOn && hasFindingsAtOrAbove(report, failOn)) {
      this.utils.log.error(`invocation-report: findings at or above "${failOn}" (--fail-on ${failOn})`);
      process.exitCode = 1;
    }
  }

  private async emulate(): Promise<void> {
    // The testing API's resolution: the service as resolved, and nothing of the emulator loaded.
    const resolveTo = process.env[RESOLVE_TO];
    if (resolveTo) return writeResolvedService(resolveTo, await this.resolveService());
    // Loaded here so that every other command (sls deploy, ...) does not pay for the emulator.
    const [{ Emulator }, { emulatorOptions }, { ConsoleOutput }, { readyText }, { stopRequested }] =
      await Promise.all([
        import('./emulator/emulator.js'),
        import('./emulator/options.js'),
        import('./emulator/output.js'),
        import('./emulator/ready-text.js'),
        import('./emulator/stop-request.js'),
      ]);
    const model = await this.readModel();
    const options = emulatorOptions(this.options, model, process.env, systemClock);
    const output = new ConsoleOutput();
    const emulator = await Emulator.start(model, options, output);
    // What the start printed (a runtime's warning, ...) comes before the ready text.
    output.flush();
    this.utils.writeText(readyText(model, emulator.endpoints));
    const reason = await stopRequested(process, systemClock);
    output.flush();
    this.utils.log.notice(`Stopping (${reason})`);
    await emulator.stop();
  }

  private excludeState(): void {
    excludeStateFromPackages(this.serverless.service, this.serverless.serviceDir, this.options['state-dir']);
  }

  private async sendEvent(): Promise<void> {
    const { sendSampleEvent } = await import('./emulator/send-event.js');
    const { data, event } = this.options;
    let overrides: unknown;
    try {
      overrides = data === undefined ? undefined : JSON.parse(data);
    } catch {
      throw new ConfigError(`--data must be JSON, got ${data}`, 'EMULATE_INVALID_OPTION');
    }
    const index = event === undefined ? 0 : Number(event);
    if (!Number.isInteger(index) || index < 0) {
      throw new ConfigError(
        `--event must be a whole number from 0, got "${event}"`,
        'EMULATE_INVALID_OPTION',
      );
    }
    const host = this.options.host ?? EMULATE_DEFAULTS.host;
    const result = await sendSampleEvent(await this.readModel(), {
      function: this.options.function ?? '',
      event: index,
      data: overrides,
      awsEndpoint: `http://${host}:${this.options['aws-port'] ?? EMULATE_DEFAULTS.awsPort}`,
      now: new Date(systemClock.now()),
    });
    const outcome = result.functionError ? ` (function error: ${result.functionError})` : '';
    this.utils.writeText([
      `${result.source} -> ${result.type}: ${result.status}${outcome}`,
      ...(result.body ? [result.body] : []),
    ]);
  }

  private choice<T extends string>(option: keyof ReportOptions, allowed: readonly T[]): T | undefined {
    const value = this.options[option];
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) {
      throw new ConfigError(
        `--${option} must be one of ${allowed.join(', ')}, got "${value}"`,
        'EMULATE_INVALID_OPTION',
      );
    }
    return value as T;
  }
}

export = ServerlessEmulatePlugin;
