/**
 * The narrow slice of the Serverless Framework v3 host API this plugin uses. Declared here because
 * `serverless` ships no types and @types/serverless lacks `classes.Error` and `serviceDir`.
 */
export interface ServerlessErrorConstructor {
  new (message: string, code?: string): Error;
}

export interface AwsProvider {
  getStage(): string;
  getRegion(): string;
}

export interface ConfigSchemaHandler {
  defineCustomProperties(schema: object): void;
}

export interface RawService {
  service: string;
  provider: Record<string, unknown>;
  functions?: Record<string, Record<string, unknown>>;
  resources?: { Resources?: Record<string, unknown> } | unknown;
  custom?: Record<string, unknown>;
  /** `package` and `layers`: only `sls package` and `sls deploy` hooks touch them (their `patterns`). */
  package?: unknown;
  /** Also read by readService: the folders functions' layers mount. */
  layers?: Record<string, unknown>;
  /** serverless.yml's `plugins`: a list of names, or `{modules, localPath}`. */
  plugins?: unknown;
}

/** A loaded plugin: its lifecycle hooks, and the name serverless.yml's `plugins` gives it. */
export interface PluginInstance {
  hooks?: Record<string, () => unknown>;
  constructor: { name: string; _serverlessExternalPluginName?: string };
}

export interface PluginManager {
  /** Every hook by lifecycle event, in the order the framework runs them. */
  hooks: Record<string, Array<{ hook: () => unknown }>>;
  /** The plugins of the service's `plugins` (not the framework's own). */
  externalPlugins: Set<PluginInstance>;
}

export interface Serverless {
  service: RawService;
  serviceDir: string;
  classes: { Error: ServerlessErrorConstructor };
  configSchemaHandler: ConfigSchemaHandler;
  pluginManager: PluginManager;
  getProvider(name: 'aws'): AwsProvider;
}

export interface Logger {
  (message: string): void;
  error(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface PluginUtils {
  log: Logger;
  writeText(text: string | string[]): void;
}

export interface CommandOption {
  usage: string;
  type: 'string' | 'boolean' | 'multiple';
  shortcut?: string;
  required?: boolean;
}

/** Options this plugin adds to a command of the framework's own (`package`, `deploy`). */
export interface CommandExtension {
  options: Record<string, CommandOption>;
  commands?: Record<string, CommandExtension>;
}

export interface CommandDefinition {
  usage: string;
  lifecycleEvents: string[];
  options?: Record<string, CommandOption>;
}
