import { GetRestApisCommand, APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import assert from 'node:assert/strict';
import { AwsEndpoint } from '../../../src/aws/endpoint';
import { unknownOperation } from '../../../src/aws/unemulated';
import { boto3, credentials, REGION, startSts, type Harness } from './helpers';

const NOT_EMULATED = (service: string) =>
  new RegExp(
    `^sls emulate does not emulate ${service} \\(127\\.0\\.0\\.1:\\d+\\): the call was refused, nothing went to AWS\\. .*custom\\.emulate\\.passthrough$`,
  );

/** The error an SDK v3 call rejects with: its name, HTTP status and message. */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  assert.fail('the call succeeded');
}

describe('Services not emulated: refused in the protocol each client reads (SDK v3)', () => {
  let harness: Harness;
  const config = () => ({ endpoint: harness.url, region: REGION, credentials, maxAttempts: 1 });

  before(async () => {
    harness = await startSts();
  });
  after(() => harness.stop());

  it('IAM (Query XML): AccessDenied, 403, naming iam as not emulated', async () => {
    const iam = new IAMClient(config());
    for (const command of [new ListRolesCommand({}), new GetRoleCommand({ RoleName: 'x' })]) {
      const error = await rejection(iam.send(command as never));
      assert.equal(error.name, 'AccessDenied');
      assert.equal(error.status, 403);
      assert.match(error.message, NOT_EMULATED('iam'));
    }
    iam.destroy();
    assert.deepEqual(harness.forwarded, []);
    assert.match(harness.logs.at(-1) ?? '', /^✗ a client called iam at 127\.0\.0\.1:\d+: refused/);
  });

  it('CloudFormation (Query XML): AccessDenied', async () => {
    const client = new CloudFormationClient(config());
    const error = await rejection(client.send(new ListStacksCommand({})));
    client.destroy();
    assert.deepEqual([error.name, error.status], ['AccessDenied', 403]);
    assert.match(error.message, NOT_EMULATED('cloudformation'));
  });

  it('SSM (AWS JSON 1.1) and CloudWatch (AWS JSON 1.0): AccessDeniedException', async () => {
    const ssm = new SSMClient(config());
    const cloudwatch = new CloudWatchClient(config());
    for (const [client, command, service] of [
      [ssm, new GetParameterCommand({ Name: 'x' }), 'ssm'],
      [cloudwatch, new ListMetricsCommand({}), 'monitoring'],
    ] as const) {
      const error = await rejection((client as SSMClient).send(command as never));
      assert.deepEqual([error.name, error.status], ['AccessDeniedException', 403], service);
      assert.match(error.message, NOT_EMULATED(service));
    }
    ssm.destroy();
    cloudwatch.destroy();
  });

  it('API Gateway (REST-JSON): AccessDeniedException; CloudFront (REST-XML): AccessDenied', async () => {
    const apigateway = new APIGatewayClient(config());
    const rest = await rejection(apigateway.send(new GetRestApisCommand({})));
    apigateway.destroy();
    assert.deepEqual([rest.name, rest.status], ['AccessDeniedException', 403]);
    assert.match(rest.message, NOT_EMULATED('apigateway'));
    const cloudfront = new CloudFrontClient(config());
    const xml = await rejection(cloudfront.send(new ListDistributionsCommand({})));
    cloudfront.destroy();
    assert.deepEqual([xml.name, xml.status], ['AccessDenied', 403]);
    assert.match(xml.message, NOT_EMULATED('cloudfront'));
  });

  it('an operation no emulated API serves (Lambda ListFunctions, REST-JSON) is a named error', async () => {
    const lambda = new LambdaClient(config());
    const error = await rejection(lambda.send(new ListFunctionsCommand({})));
    lambda.destroy();
    assert.deepEqual([error.name, error.status], ['UnknownOperationException', 404]);
  });
});

describe("unknownOperation: what no emulated API serves, in the client's protocol (the endpoint's last resort)", () => {
  let endpoint: AwsEndpoint;
  let url: string;
  const config = (path = '') => ({ endpoint: `${url}${path}`, region: REGION, credentials, maxAttempts: 1 });

  before(async () => {
    endpoint = new AwsEndpoint([
      { handles: () => true, handle: async (request) => unknownOperation(request) },
    ]);
    url = await endpoint.start('127.0.0.1', 0);
  });
  after(() => endpoint.stop());

  it('Query (SNS at a path no service has): InvalidAction; AWS JSON (EventBridge): UnknownOperationException', async () => {
    const sns = new SNSClient(config('/elsewhere'));
    const query = await rejection(sns.send(new ListTopicsCommand({})));
    sns.destroy();
    assert.deepEqual([query.name, query.status], ['InvalidAction', 400]);
    assert.equal(query.message, 'No emulated AWS API at POST /elsewhere/');
    const events = new EventBridgeClient(config());
    const json = await rejection(events.send(new ListRulesCommand({})));
    events.destroy();
    assert.deepEqual([json.name, json.status], ['UnknownOperationException', 400]);
  });

  it('REST-JSON (Lambda ListFunctions): UnknownOperationException, 404', async () => {
    const lambda = new LambdaClient(config());
    const error = await rejection(lambda.send(new ListFunctionsCommand({})));
    lambda.destroy();
    assert.deepEqual([error.name, error.status], ['UnknownOperationException', 404]);
  });

  it('boto3: SNS (Query), Lambda (REST-JSON), Route 53 (REST-XML) and EC2 get named ClientErrors', async () => {
    const [sns, lambda, route53, ec2] = await boto3(
      url,
      [
        `call(client('sns', endpoint_url='${url}/elsewhere').list_topics)`,
        "call(client('lambda').list_functions)",
        "call(client('route53').list_hosted_zones)",
        "call(client('ec2').describe_instances)",
      ].join('\n'),
    );
    assert.deepEqual([sns.code, sns.status], ['InvalidAction', 400]);
    assert.deepEqual([lambda.code, lambda.status], ['UnknownOperationException', 404]);
    assert.deepEqual([route53.code, route53.status], ['InvalidAction', 404]);
    assert.deepEqual([ec2.code, ec2.status], ['InvalidAction', 400]);
  });
});
