import type { AwsRequest, AwsResponse } from '../aws/endpoint';

/** The emulator's AWS endpoint, called in process as a client would call it over the socket. */
export type EndpointCall = (request: AwsRequest) => Promise<AwsResponse>;

export class ServiceCallError extends Error {}

const JSON_APIS: Record<string, { service: string; version: string }> = {
  AmazonSQS: { service: 'sqs', version: '1.0' },
  DynamoDB_20120810: { service: 'dynamodb', version: '1.0' },
  Kinesis_20131202: { service: 'kinesis', version: '1.1' },
};

/**
 * What the live view asks of the embedded services, through their own APIs: it reads and acts on them
 * as a developer's script would, so it shows what the SDKs see and needs nothing of their insides.
 */
export class EmbeddedServices {
  constructor(
    private readonly call: EndpointCall,
    private readonly region: string,
  ) {}

  /** An AWS JSON call to SQS, DynamoDB or Kinesis (`AmazonSQS.ListQueues`). */
  async json<T = Record<string, unknown>>(target: string, input: object): Promise<T> {
    const { service, version } = JSON_APIS[target.split('.')[0]];
    const response = await this.call({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {
        'x-amz-target': target,
        'content-type': `application/x-amz-json-${version}`,
        ...this.signed(service),
      },
      body: Buffer.from(JSON.stringify(input)),
    });
    const text = bodyText(response);
    if (response.status !== 200) throw new ServiceCallError(`${target}: ${errorMessage(text)}`);
    return JSON.parse(text || '{}') as T;
  }

  /** An S3 REST call; its XML answer. */
  async s3(method: string, path: string, query: Record<string, string> = {}): Promise<string> {
    const response = await this.call({
      method,
      path,
      query: new URLSearchParams(query),
      headers: this.signed('s3'),
      body: Buffer.alloc(0),
    });
    const text = bodyText(response);
    if (response.status >= 300)
      throw new ServiceCallError(`S3 ${method} ${path}: ${xmlValues(text, 'Message')[0] ?? response.status}`);
    return text;
  }

  /**
   * The shape of a SigV4 header, which routes the call to the service and region (the endpoint checks
   * no signature); its access key is nobody's, so no function is taken for the caller.
   */
  private signed(service: string): Record<string, string> {
    return {
      authorization: `AWS4-HMAC-SHA256 Credential=LIVEVIEW/20000101/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'x-amz-date': '20000101T000000Z',
    };
  }
}

const bodyText = ({ body }: AwsResponse) => (body === undefined ? '' : body.toString());

function errorMessage(text: string): string {
  try {
    const error = JSON.parse(text) as { message?: string; Message?: string; __type?: string };
    return error.message ?? error.Message ?? error.__type ?? text;
  } catch {
    return text;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of every `<tag>` in XML the emulator wrote itself (flat values, entities decoded). */
export function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((match) =>
    match[1].replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]),
  );
}

/** Each `<tag>...</tag>` block of such XML. */
export function xmlBlocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]);
}
