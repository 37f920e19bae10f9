import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { AwsEndpoint } from '../../src/aws/endpoint';
import { LambdaApi } from '../../src/aws/lambda-api';
import { LambdaServiceError } from '../../src/lambda/errors';
import type { InvokeOutcome, Invoker } from '../../src/lambda/types';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn';

/**
 * Stands for the Lambda service: knows one function by its key, deployed name and ARN (as the service
 * does), and answers with the name it was asked for.
 */
class OneFunction implements Invoker {
  readonly asked: string[] = [];

  async invoke(functionName: string): Promise<InvokeOutcome> {
    this.asked.push(functionName);
    if (!['fn', 'svc-dev-fn', ARN].includes(functionName)) {
      throw new LambdaServiceError('ResourceNotFoundException', 404, `Function not found: ${functionName}`);
    }
    return { requestId: 'request', statusCode: 200, payload: JSON.stringify(functionName), durationMs: 0 };
  }
}

describe('aws/lambda-api: the Invoke API (@aws-sdk/client-lambda)', () => {
  let functions: OneFunction;
  let endpoint: AwsEndpoint;
  let lambda: LambdaClient;

  beforeEach(async () => {
    functions = new OneFunction();
    endpoint = new AwsEndpoint([new LambdaApi(functions)]);
    lambda = new LambdaClient({
      endpoint: await endpoint.start('127.0.0.1', 0),
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    lambda.destroy();
    await endpoint.stop();
  });

  const invoke = (FunctionName: string, Qualifier?: string) =>
    lambda.send(new InvokeCommand({ FunctionName, Qualifier, Payload: '{}' }));
  const invoked = async (FunctionName: string, Qualifier?: string) => {
    const out = await invoke(FunctionName, Qualifier);
    assert.equal(out.ExecutedVersion, '$LATEST');
    return JSON.parse(Buffer.from(out.Payload ?? []).toString()) as string;
  };
  const rejected = async (
    FunctionName: string,
    Qualifier: string | undefined,
    code: string,
    status: number,
  ) => {
    await assert.rejects(
      invoke(FunctionName, Qualifier),
      (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(error.name, code);
        assert.equal(error.$metadata.httpStatusCode, status);
        return true;
      },
    );
  };

  it('invokes the unqualified function for Qualifier $LATEST, named by key, deployed name or ARN', async () => {
    assert.equal(await invoked('fn', '$LATEST'), 'fn');
    assert.equal(await invoked('svc-dev-fn', '$LATEST'), 'svc-dev-fn');
    assert.equal(await invoked(ARN, '$LATEST'), ARN);
  });

  it('invokes the unqualified function for a FunctionName ending in :$LATEST', async () => {
    assert.equal(await invoked('svc-dev-fn:$LATEST'), 'svc-dev-fn');
    assert.equal(await invoked(`${ARN}:$LATEST`), ARN);
    assert.equal(await invoked(`${ARN}:$LATEST`, '$LATEST'), ARN);
  });

  it('asks the Lambda service for a version or alias, which answers 404 ResourceNotFoundException', async () => {
    await rejected('svc-dev-fn', '7', 'ResourceNotFoundException', 404);
    await rejected('fn:live', undefined, 'ResourceNotFoundException', 404);
    await rejected(`${ARN}:7`, '7', 'ResourceNotFoundException', 404);
    assert.deepEqual(functions.asked, ['svc-dev-fn:7', 'fn:live', `${ARN}:7`]);
  });

  it('answers 400 InvalidParameterValueException when the name and Qualifier name different qualifiers', async () => {
    await rejected('svc-dev-fn:$LATEST', '7', 'InvalidParameterValueException', 400);
    await rejected(`${ARN}:live`, '$LATEST', 'InvalidParameterValueException', 400);
    assert.deepEqual(functions.asked, []);
  });
});
