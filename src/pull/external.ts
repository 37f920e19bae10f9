import type { ExternalSource } from '../service/model';
import type { DynamoDbStreamsSourceApi, KinesisSourceApi, SqsSourceApi } from './source-apis';

/** A source API backed by an AWS SDK v3 client; `destroy` aborts its pending long polls. */
export type External<Api> = Api & { destroy(): void };

interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

type CommandClass = new (input: never) => unknown;

/**
 * The SDK client's settings: the endpoint and region asked for; credentials from the environment,
 * else (for an emulator such as LocalStack or moto, which checks none) placeholders; HTTP/1.1 to a
 * plain-http endpoint (the Kinesis client would otherwise speak only HTTP/2, which such servers lack).
 */
async function clientConfig(source: ExternalSource, fallbackRegion: string, env: NodeJS.ProcessEnv) {
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  const plainHttp = source.endpoint?.startsWith('http://');
  return {
    region: source.region ?? fallbackRegion,
    ...(source.endpoint && { endpoint: source.endpoint }),
    ...(source.endpoint &&
      !hasCredentials && { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    ...(plainHttp && { requestHandler: new (await import('@smithy/node-http-handler')).NodeHttpHandler() }),
  };
}

/** Wraps a client so that each API method sends its command, cancellable as a whole. */
function wrap<Api>(client: SdkClient, commands: Record<keyof Api, CommandClass>): External<Api> {
  const controller = new AbortController();
  const api = Object.fromEntries(
    Object.entries<CommandClass>(commands).map(([method, Command]) => [
      method,
      (input: never) => client.send(new Command(input), { abortSignal: controller.signal }),
    ]),
  );
  const destroy = () => {
    controller.abort();
    client.destroy();
  };
  return { ...(api as Api), destroy };
}

export async function externalSqs(
  source: ExternalSource,
  region: string,
  env: NodeJS.ProcessEnv,
): Promise<External<SqsSourceApi>> {
  const sdk = await import('@aws-sdk/client-sqs');
  return wrap<SqsSourceApi>(new sdk.SQSClient(await clientConfig(source, region, env)), {
    receiveMessage: sdk.ReceiveMessageCommand,
    deleteMessageBatch: sdk.DeleteMessageBatchCommand,
    changeMessageVisibilityBatch: sdk.ChangeMessageVisibilityBatchCommand,
    getQueueAttributes: sdk.GetQueueAttributesCommand,
    getQueueUrl: sdk.GetQueueUrlCommand,
  });
}

export async function externalKinesis(
  source: ExternalSource,
  region: string,
  env: NodeJS.ProcessEnv,
): Promise<External<KinesisSourceApi>> {
  const sdk = await import('@aws-sdk/client-kinesis');
  return wrap<KinesisSourceApi>(new sdk.KinesisClient(await clientConfig(source, region, env)), {
    listShards: sdk.ListShardsCommand,
    getShardIterator: sdk.GetShardIteratorCommand,
    getRecords: sdk.GetRecordsCommand,
  });
}

export async function externalDynamoDbStreams(
  source: ExternalSource,
  region: string,
  env: NodeJS.ProcessEnv,
): Promise<
  External<DynamoDbStreamsSourceApi & { latestStreamArn(table: string): Promise<string | undefined> }>
> {
  const sdk = await import('@aws-sdk/client-dynamodb-streams');
  const client = new sdk.DynamoDBStreamsClient(await clientConfig(source, region, env));
  const api = wrap<DynamoDbStreamsSourceApi>(client, {
    describeStream: sdk.DescribeStreamCommand,
    getShardIterator: sdk.GetShardIteratorCommand,
    getRecords: sdk.GetRecordsCommand,
  });
  return Object.assign(api, {
    async latestStreamArn(table: string) {
      const { Streams } = await client.send(new sdk.ListStreamsCommand({ TableName: table }));
      return Streams?.[Streams.length - 1]?.StreamArn;
    },
  });
}
