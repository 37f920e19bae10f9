export interface AwsErrorOptions {
  /** 400 by default. */
  statusCode?: number;
  /** The exception's name in the AWS SDKs when it is not the code (query-compatible services). */
  sdkName?: string;
  /** What the protocol writes beside code and message (S3's elements, DynamoDB's CancellationReasons). */
  fields?: Record<string, unknown>;
}

/**
 * An error an emulated AWS API answers with; each protocol module renders it. Its `name` is the
 * exception's name in the AWS SDKs, so in-process callers catch what a client of the wire would.
 */
export class AwsError extends Error {
  readonly statusCode: number;
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    /** The code the protocol carries (the Query code of a query-compatible service). */
    readonly code: string,
    message: string,
    options: AwsErrorOptions = {},
  ) {
    super(message);
    this.name = options.sdkName ?? code;
    this.statusCode = options.statusCode ?? 400;
    this.fields = options.fields ?? {};
  }

  /** Whether the caller is at fault (a 4xx) rather than the service. */
  get senderFault(): boolean {
    return this.statusCode < 500;
  }
}
