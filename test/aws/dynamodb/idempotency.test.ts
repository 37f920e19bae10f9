import {
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { IdempotencyTokens } from '../../../src/aws/dynamodb/idempotency';
import { ManualClock } from '../../helpers/manual-clock';
import { createTable, credentials, NOW, REGION, startDynamo, streamRecords, type Harness } from './helpers';

describe('aws/dynamodb transaction idempotency tokens (ClientRequestToken)', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(NOW);
    h = await startDynamo({ clock });
    await createTable(h.client, 'orders', { viewType: 'NEW_AND_OLD_IMAGES' });
  });

  afterEach(() => h.stop());

  const increment = (token: string, by = '1'): TransactWriteItemsCommandInput => ({
    ClientRequestToken: token,
    TransactItems: [
      {
        Update: {
          TableName: 'orders',
          Key: { pk: { S: 'a' } },
          UpdateExpression: 'ADD n :by',
          ExpressionAttributeValues: { ':by': { N: by } },
        },
      },
    ],
  });
  const count = async () =>
    (await h.client.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'a' } } }))).Item?.n?.N;

  it('answers a repeat with the same token and request without writing again', async () => {
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    assert.equal(await count(), '1');
    assert.equal((await streamRecords(h, 'orders')).length, 1);
  });

  it('refuses the same token with another request: IdempotentParameterMismatchException', async () => {
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    await assert.rejects(
      h.client.send(new TransactWriteItemsCommand(increment('token-1', '5'))),
      (error: unknown) => error instanceof IdempotentParameterMismatchException,
    );
    assert.equal(await count(), '1');
  });

  it('forgets a token 10 minutes after, on the injected clock', async () => {
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    clock.advance(9 * 60 * 1000);
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    assert.equal(await count(), '1');
    clock.advance(60 * 1000);
    await h.client.send(new TransactWriteItemsCommand(increment('token-1')));
    assert.equal(await count(), '2');
    // Once forgotten, the token may carry another request.
    clock.advance(10 * 60 * 1000);
    await h.client.send(new TransactWriteItemsCommand(increment('token-1', '3')));
    assert.equal(await count(), '5');
  });

  it('keeps no token for a transaction that was cancelled', async () => {
    await h.client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'a' }, n: { N: '7' } } }));
    const guarded: TransactWriteItemsCommandInput = {
      ClientRequestToken: 'token-2',
      TransactItems: [
        {
          Update: {
            TableName: 'orders',
            Key: { pk: { S: 'a' } },
            UpdateExpression: 'ADD n :by',
            ConditionExpression: 'n = :eight',
            ExpressionAttributeValues: { ':by': { N: '1' }, ':eight': { N: '8' } },
          },
        },
      ],
    };
    await assert.rejects(h.client.send(new TransactWriteItemsCommand(guarded)), {
      name: 'TransactionCanceledException',
    });
    await h.client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'a' }, n: { N: '8' } } }));
    await h.client.send(new TransactWriteItemsCommand(guarded));
    assert.equal(await count(), '9');
  });

  it('refuses a token longer than 36 characters', async () => {
    await assert.rejects(h.client.send(new TransactWriteItemsCommand(increment('x'.repeat(37)))), {
      name: 'ValidationException',
    });
  });

  it('boto3: a repeated token writes once; another request with it is IdempotentParameterMismatchException', async () => {
    const script = `
import boto3, json
from botocore.exceptions import ClientError
c = boto3.client('dynamodb', endpoint_url='${h.url}', region_name='${REGION}',
  aws_access_key_id='${credentials.accessKeyId}', aws_secret_access_key='${credentials.secretAccessKey}')
def inc(by):
    return [{'Update': {'TableName': 'orders', 'Key': {'pk': {'S': 'a'}}, 'UpdateExpression': 'ADD n :by',
             'ExpressionAttributeValues': {':by': {'N': by}}}}]
c.transact_write_items(TransactItems=inc('1'), ClientRequestToken='boto3-token')
c.transact_write_items(TransactItems=inc('1'), ClientRequestToken='boto3-token')
out = {}
try:
    c.transact_write_items(TransactItems=inc('2'), ClientRequestToken='boto3-token')
except ClientError as e:
    out['mismatch'] = e.response['Error']['Code']
# Without a token boto3 makes one for each call: both write.
c.transact_write_items(TransactItems=inc('1'))
c.transact_write_items(TransactItems=inc('1'))
out['n'] = c.get_item(TableName='orders', Key={'pk': {'S': 'a'}})['Item']['n']['N']
print(json.dumps(out))
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script], {
      env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    assert.deepEqual(JSON.parse(stdout), { mismatch: 'IdempotentParameterMismatchException', n: '3' });
  });
});

describe('aws/dynamodb IdempotencyTokens', () => {
  it('refuses a repeat while the first request with the token runs: TransactionInProgressException', async () => {
    const tokens = new IdempotencyTokens(new ManualClock(NOW));
    let finish: (output: Record<string, unknown>) => void = () => undefined;
    const input = { ClientRequestToken: 't', TransactItems: [] };
    const first = tokens.run('TransactWriteItems', input, () => new Promise((resolve) => (finish = resolve)));
    await assert.rejects(
      tokens.run('TransactWriteItems', input, async () => ({})),
      { name: 'TransactionInProgressException' },
    );
    // Another operation keeps its own tokens.
    assert.deepEqual(await tokens.run('ExecuteTransaction', input, async () => ({ other: true })), {
      other: true,
    });
    finish({ done: true });
    assert.deepEqual(await first, { done: true });
    assert.deepEqual(await tokens.run('TransactWriteItems', input, async () => ({ again: true })), {
      done: true,
    });
  });
});
