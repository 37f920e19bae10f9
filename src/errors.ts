/**
 * A user error (bad configuration or input). Inner modules throw it knowing nothing of Serverless;
 * plugin.ts turns it into the framework's ServerlessError at the edge.
 */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
