import {
  BatchExecuteStatementCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DuplicateItemException,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  waitUntilTableExists,
  type ExecuteStatementCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand as DocBatchExecuteStatementCommand,
  ExecuteStatementCommand as DocExecuteStatementCommand,
  ExecuteTransactionCommand as DocExecuteTransactionCommand,
} from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseStatement } from '../../../src/aws/dynamodb/partiql-parser';
import { createTable, credentials, REGION, startDynamo, streamRecords, type Harness } from './helpers';

describe('aws/dynamodb PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startDynamo();
    await createTable(h.client, 'music', { sort: true, viewType: 'NEW_AND_OLD_IMAGES' });
  });

  afterEach(() => h.stop());

  const run = (Statement: string, rest: Record<string, unknown> = {}) =>
    h.client.send(new ExecuteStatementCommand({ Statement, ...rest }));
  const get = async (pk: string, sk: number) =>
    (
      await h.client.send(
        new GetItemCommand({ TableName: 'music', Key: { pk: { S: pk }, sk: { N: String(sk) } } }),
      )
    ).Item;

  async function seed() {
    for (const [pk, sk, n] of [
      ['a', 1, 10],
      ['a', 2, 20],
      ['a', 3, 30],
      ['b', 1, 40],
    ] as const) {
      await run(`INSERT INTO "music" VALUE {'pk': ?, 'sk': ?, 'n': ?, 'kind': 'x'}`, {
        Parameters: [{ S: pk }, { N: String(sk) }, { N: String(n) }],
      });
    }
  }

  describe('INSERT', () => {
    it('puts the item; one with a key that exists is DuplicateItemException', async () => {
      const output = await run(
        `INSERT INTO "music" VALUE {'pk': 'a', 'sk': 1, 'tags': <<'x', 'y'>>, 'l': [1, 'two', true, null], 'm': {'k': 'v'}}`,
      );
      assert.deepEqual(output.Items, []);
      assert.deepEqual(await get('a', 1), {
        pk: { S: 'a' },
        sk: { N: '1' },
        tags: { SS: ['x', 'y'] },
        l: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }] },
        m: { M: { k: { S: 'v' } } },
      });
      await assert.rejects(
        run(`INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'other': 1}`),
        (error: unknown) =>
          error instanceof DuplicateItemException &&
          error.message === 'Duplicate primary key exists in table',
      );
      assert.equal((await get('a', 1))?.other, undefined);
    });
  });

  describe('SELECT', () => {
    beforeEach(seed);

    const keys = (output: ExecuteStatementCommandOutput) =>
      (output.Items ?? []).map((item) => `${item.pk?.S}${item.sk?.N}`);

    it('queries on the partition key, in sort key order, with sort key conditions', async () => {
      assert.deepEqual(keys(await run(`SELECT * FROM "music" WHERE pk = 'a'`)), ['a1', 'a2', 'a3']);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' AND sk > 1`)), ['a2', 'a3']);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' AND sk <= 2`)), ['a1', 'a2']);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' AND sk BETWEEN 2 AND 3`)), [
        'a2',
        'a3',
      ]);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE 'b' = pk`)), ['b1']);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' AND sk = 2`)), ['a2']);
    });

    it('filters on other attributes: comparisons, IN, OR, NOT, begins_with, MISSING', async () => {
      const sorted = async (statement: string, parameters?: unknown[]) =>
        keys(await run(statement, parameters ? { Parameters: parameters } : {})).sort();
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE n >= 30`), ['a3', 'b1']);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE n IN [10, 40]`), ['a1', 'b1']);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE pk = 'a' AND (n = 10 OR n = 30)`), [
        'a1',
        'a3',
      ]);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE pk = 'a' AND NOT n = 10`), ['a2', 'a3']);
      assert.deepEqual(
        await sorted(`SELECT * FROM music WHERE n < ? AND sk > ?`, [{ N: '30' }, { N: '1' }]),
        ['a2'],
      );
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE begins_with(pk, 'b')`), ['b1']);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE pk IN ['b', 'c']`), ['b1']);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE missing IS MISSING AND n > 35`), ['b1']);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE attribute_exists(nothing)`), []);
      assert.deepEqual(await sorted(`SELECT * FROM music WHERE pk = 'a' AND sk > 1 AND pk <> 'b'`), [
        'a2',
        'a3',
      ]);
    });

    it('orders a query by its key: ORDER BY sk DESC', async () => {
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' ORDER BY sk DESC`)), [
        'a3',
        'a2',
        'a1',
      ]);
      assert.deepEqual(keys(await run(`SELECT * FROM music WHERE pk = 'a' ORDER BY sk ASC`)), [
        'a1',
        'a2',
        'a3',
      ]);
      await assert.rejects(run(`SELECT * FROM music ORDER BY sk`), {
        name: 'ValidationException',
        message: 'Must have WHERE clause in the statement when using ORDER BY clause.',
      });
      await assert.rejects(run(`SELECT * FROM music WHERE n > 1 ORDER BY n`), {
        name: 'ValidationException',
      });
    });

    it('projects the attributes it names', async () => {
      const { Items } = await run(`SELECT "n", kind FROM music WHERE pk = 'b'`);
      assert.deepEqual(Items, [{ n: { N: '40' }, kind: { S: 'x' } }]);
    });

    it('pages with Limit and NextToken', async () => {
      const first = await run(`SELECT * FROM music WHERE pk = 'a'`, { Limit: 2 });
      assert.deepEqual(keys(first), ['a1', 'a2']);
      assert.ok(first.NextToken);
      const second = await run(`SELECT * FROM music WHERE pk = 'a'`, {
        Limit: 2,
        NextToken: first.NextToken,
      });
      assert.deepEqual(keys(second), ['a3']);
    });

    it('queries an index as "table"."index"', async () => {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'songs',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'artist', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byArtist',
              KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilTableExists({ client: h.client, maxWaitTime: 5, minDelay: 1 }, { TableName: 'songs' });
      await run(`INSERT INTO songs VALUE {'id': '1', 'artist': 'acme'}`);
      await run(`INSERT INTO songs VALUE {'id': '2', 'artist': 'other'}`);
      const { Items } = await run(`SELECT id FROM "songs"."byArtist" WHERE artist = 'acme'`);
      assert.deepEqual(Items, [{ id: { S: '1' } }]);
      await assert.rejects(run(`SELECT * FROM "songs"."nope" WHERE artist = 'acme'`), {
        name: 'ValidationException',
      });
    });
  });

  describe('UPDATE and DELETE', () => {
    beforeEach(seed);

    it('UPDATE sets, adds, appends and removes; RETURNING ALL NEW * answers the item', async () => {
      await run(`UPDATE music SET tags = <<'x'>>, l = [1] WHERE pk = 'a' AND sk = 1`);
      const { Items } = await run(
        `UPDATE "music" SET n = n + 5 SET l = list_append(l, [2]) SET tags = set_add(tags, <<'y'>>) REMOVE kind WHERE pk = ? AND sk = ? RETURNING ALL NEW *`,
        { Parameters: [{ S: 'a' }, { N: '1' }] },
      );
      const expected = {
        pk: { S: 'a' },
        sk: { N: '1' },
        n: { N: '15' },
        tags: { SS: ['x', 'y'] },
        l: { L: [{ N: '1' }, { N: '2' }] },
      };
      assert.deepEqual(Items, [expected]);
      assert.deepEqual(await get('a', 1), expected);
      await run(`UPDATE music SET tags = set_delete(tags, <<'x'>>) WHERE pk = 'a' AND sk = 1`);
      assert.deepEqual((await get('a', 1))?.tags, { SS: ['y'] });
    });

    it('UPDATE of no item, or whose WHERE is false, is ConditionalCheckFailedException (with ALL_OLD the item)', async () => {
      await assert.rejects(
        run(`UPDATE music SET n = 1 WHERE pk = 'zz' AND sk = 1`),
        ConditionalCheckFailedException,
      );
      await assert.rejects(
        run(`UPDATE music SET n = 1 WHERE pk = 'a' AND sk = 1 AND n = 99`, {
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        (error: unknown) => error instanceof ConditionalCheckFailedException && error.Item?.n?.N === '10',
      );
      assert.equal((await get('a', 1))?.n?.N, '10');
    });

    it('UPDATE or DELETE without an equality on every key attribute is a ValidationException', async () => {
      for (const statement of [`UPDATE music SET n = 1 WHERE pk = 'a'`, `DELETE FROM music WHERE n = 10`]) {
        await assert.rejects(run(statement), {
          name: 'ValidationException',
          message: 'Where clause does not contain a mandatory equality on all key attributes',
        });
      }
    });

    it('DELETE removes the item; of no item succeeds; a false WHERE on an item fails', async () => {
      const { Items } = await run(`DELETE FROM music WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *`);
      assert.equal(Items?.[0]?.n?.N, '20');
      assert.equal(await get('a', 2), undefined);
      assert.deepEqual((await run(`DELETE FROM music WHERE pk = 'zz' AND sk = 1 AND n = 5`)).Items, []);
      await assert.rejects(
        run(`DELETE FROM music WHERE pk = 'a' AND sk = 1 AND n = 5`),
        ConditionalCheckFailedException,
      );
      await run(`DELETE FROM music WHERE pk = 'a' AND sk = 1 AND n = 10`);
      assert.equal(await get('a', 1), undefined);
    });
  });

  it('INSERT, UPDATE and DELETE on a table with a stream yield INSERT, MODIFY and REMOVE records', async () => {
    await run(`INSERT INTO music VALUE {'pk': 's', 'sk': 1, 'n': 1}`);
    await run(`UPDATE music SET n = 2 WHERE pk = 's' AND sk = 1`);
    await run(`DELETE FROM music WHERE pk = 's' AND sk = 1`);
    const records = (await streamRecords(h, 'music')).map((r) => ({
      event: r.eventName,
      old: r.dynamodb?.OldImage?.n?.N,
      new: r.dynamodb?.NewImage?.n?.N,
    }));
    assert.deepEqual(records, [
      { event: 'INSERT', old: undefined, new: '1' },
      { event: 'MODIFY', old: '1', new: '2' },
      { event: 'REMOVE', old: '2', new: undefined },
    ]);
  });

  it('refuses what it does not support, and malformed statements, with a ValidationException', async () => {
    for (const statement of [
      'CREATE TABLE x',
      `SELECT COUNT(*) FROM music`,
      `SELECT * FROM music WHERE`,
      `SELECT * FROM music WHERE pk = 'a' LIMIT 1`,
      `INSERT INTO music VALUE {'pk': 'a', 'sk': ?}`,
      `UPSERT INTO music VALUE {'pk': 'a'}`,
    ]) {
      await assert.rejects(run(statement), { name: 'ValidationException' }, statement);
    }
    await assert.rejects(run(`SELECT * FROM "nothing"`), { name: 'ResourceNotFoundException' });
  });

  it('lib-dynamodb: native values as parameters and items', async () => {
    await h.doc.send(
      new DocExecuteStatementCommand({
        Statement: `INSERT INTO music VALUE {'pk': ?, 'sk': ?, 'doc': ?}`,
        Parameters: ['d', 1, { nested: [1, 'x'] }],
      }),
    );
    const { Items } = await h.doc.send(
      new DocExecuteStatementCommand({ Statement: `SELECT * FROM music WHERE pk = ?`, Parameters: ['d'] }),
    );
    assert.deepEqual(Items, [{ pk: 'd', sk: 1, doc: { nested: [1, 'x'] } }]);
    const { Responses } = await h.doc.send(
      new DocBatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM music WHERE pk = ? AND sk = ?`, Parameters: ['d', 1] },
          { Statement: `SELECT * FROM music WHERE pk = ? AND sk = ?`, Parameters: ['d', 2] },
        ],
      }),
    );
    assert.deepEqual(Responses, [
      { TableName: 'music', Item: { pk: 'd', sk: 1, doc: { nested: [1, 'x'] } } },
      { TableName: 'music' },
    ]);
    await h.doc.send(
      new DocExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `UPDATE music SET doc = ? WHERE pk = ? AND sk = ?`, Parameters: ['new', 'd', 1] },
          { Statement: `INSERT INTO music VALUE {'pk': ?, 'sk': ?}`, Parameters: ['e', 1] },
        ],
      }),
    );
    assert.deepEqual((await get('d', 1))?.doc, { S: 'new' });
    assert.ok(await get('e', 1));
  });

  describe('BatchExecuteStatement', () => {
    it('answers each statement, its error in its place', async () => {
      await run(`INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'n': 1}`);
      const { Responses } = await h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `INSERT INTO music VALUE {'pk': 'a', 'sk': 2}` },
            { Statement: `INSERT INTO music VALUE {'pk': 'a', 'sk': 1}` },
            {
              Statement: `UPDATE music SET n = 5 WHERE pk = 'a' AND sk = 1 AND n = 9`,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
            { Statement: `DELETE FROM music WHERE pk = 'a'` },
            { Statement: `NONSENSE` },
          ],
        }),
      );
      assert.deepEqual(Responses?.[0], { TableName: 'music' });
      assert.deepEqual(Responses?.[1], {
        TableName: 'music',
        Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      });
      assert.equal(Responses?.[2]?.Error?.Code, 'ConditionalCheckFailed');
      assert.deepEqual(Responses?.[2]?.Error?.Item, { pk: { S: 'a' }, sk: { N: '1' }, n: { N: '1' } });
      assert.equal(Responses?.[3]?.Error?.Code, 'ValidationError');
      assert.equal(Responses?.[4]?.Error?.Code, 'ValidationError');
      assert.ok(await get('a', 2));
    });

    it('refuses reads and writes in one batch', async () => {
      await assert.rejects(
        h.client.send(
          new BatchExecuteStatementCommand({
            Statements: [
              { Statement: `SELECT * FROM music WHERE pk = 'a' AND sk = 1` },
              { Statement: `DELETE FROM music WHERE pk = 'a' AND sk = 1` },
            ],
          }),
        ),
        { name: 'ValidationException' },
      );
    });
  });

  describe('ExecuteTransaction', () => {
    it('writes all, with their stream records, or nothing: TransactionCanceledException with the reasons', async () => {
      await run(`INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'n': 1}`);
      await run(`INSERT INTO music VALUE {'pk': 'c', 'sk': 1, 'n': 1}`);
      await assert.rejects(
        h.client.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `INSERT INTO music VALUE {'pk': 'b', 'sk': 1}` },
              { Statement: `INSERT INTO music VALUE {'pk': 'a', 'sk': 1}` },
              {
                Statement: `UPDATE music SET n = 2 WHERE pk = 'c' AND sk = 1 AND n = 5`,
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            ],
          }),
        ),
        (error: unknown) => {
          assert.ok(error instanceof TransactionCanceledException);
          assert.deepEqual(error.CancellationReasons, [
            { Code: 'None' },
            { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
            {
              Code: 'ConditionalCheckFailed',
              Message: 'The conditional request failed',
              Item: { pk: { S: 'c' }, sk: { N: '1' }, n: { N: '1' } },
            },
          ]);
          return true;
        },
      );
      assert.equal(await get('b', 1), undefined);
      await h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO music VALUE {'pk': 'b', 'sk': 1}` },
            { Statement: `EXISTS(SELECT * FROM music WHERE pk = 'c' AND sk = 1 AND n = 1)` },
            { Statement: `DELETE FROM music WHERE pk = 'a' AND sk = 1` },
          ],
        }),
      );
      assert.ok(await get('b', 1));
      assert.equal(await get('a', 1), undefined);
      const events = (await streamRecords(h, 'music')).map(
        (r) => `${r.eventName} ${r.dynamodb?.Keys?.pk?.S}`,
      );
      assert.deepEqual(events, ['INSERT a', 'INSERT c', 'INSERT b', 'REMOVE a']);
      await assert.rejects(
        h.client.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `EXISTS(SELECT * FROM music WHERE pk = 'c' AND sk = 1 AND n = 2)` },
              { Statement: `DELETE FROM music WHERE pk = 'b' AND sk = 1` },
            ],
          }),
        ),
        TransactionCanceledException,
      );
      assert.ok(await get('b', 1));
    });

    it('reads items by key', async () => {
      await run(`INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'n': 1}`);
      const { Responses } = await h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `SELECT n FROM music WHERE pk = 'a' AND sk = 1` },
            { Statement: `SELECT * FROM music WHERE pk = 'a' AND sk = 2` },
          ],
        }),
      );
      assert.deepEqual(Responses, [{ Item: { n: { N: '1' } } }, {}]);
    });

    it('refuses reads with writes', async () => {
      await assert.rejects(
        h.client.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `SELECT * FROM music WHERE pk = 'a' AND sk = 1` },
              { Statement: `DELETE FROM music WHERE pk = 'a' AND sk = 1` },
            ],
          }),
        ),
        { name: 'ValidationException' },
      );
    });

    it('ClientRequestToken: a repeat does not write again; another request with it is refused', async () => {
      const increment = (by: string) =>
        new ExecuteTransactionCommand({
          ClientRequestToken: 'partiql-token',
          TransactStatements: [
            { Statement: `UPDATE music SET n = n + ? WHERE pk = 'a' AND sk = 1`, Parameters: [{ N: by }] },
          ],
        });
      await run(`INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'n': 0}`);
      await h.client.send(increment('1'));
      await h.client.send(increment('1'));
      assert.equal((await get('a', 1))?.n?.N, '1');
      await assert.rejects(h.client.send(increment('2')), IdempotentParameterMismatchException);
    });
  });

  it('boto3: execute_statement, batch_execute_statement and execute_transaction', async () => {
    const script = `
import boto3, json
from botocore.exceptions import ClientError
c = boto3.client('dynamodb', endpoint_url='${h.url}', region_name='${REGION}',
  aws_access_key_id='${credentials.accessKeyId}', aws_secret_access_key='${credentials.secretAccessKey}')
out = {}
c.execute_statement(Statement="INSERT INTO music VALUE {'pk': ?, 'sk': ?, 'n': ?}", Parameters=[{'S': 'p'}, {'N': '1'}, {'N': '7'}])
try:
    c.execute_statement(Statement="INSERT INTO music VALUE {'pk': 'p', 'sk': 1}")
except ClientError as e:
    out['duplicate'] = e.response['Error']['Code']
out['select'] = c.execute_statement(Statement="SELECT n FROM music WHERE pk = 'p'")['Items']
c.execute_transaction(TransactStatements=[{'Statement': "UPDATE music SET n = n + 1 WHERE pk = 'p' AND sk = 1"}], ClientRequestToken='boto')
c.execute_transaction(TransactStatements=[{'Statement': "UPDATE music SET n = n + 1 WHERE pk = 'p' AND sk = 1"}], ClientRequestToken='boto')
out['batch'] = [r.get('Item') for r in c.batch_execute_statement(Statements=[{'Statement': "SELECT * FROM music WHERE pk = 'p' AND sk = 1"}])['Responses']]
try:
    c.execute_statement(Statement="DROP TABLE music")
except ClientError as e:
    out['unsupported'] = e.response['Error']['Code']
print(json.dumps(out))
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script], {
      env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    assert.deepEqual(JSON.parse(stdout), {
      duplicate: 'DuplicateItemException',
      select: [{ n: { N: '7' } }],
      batch: [{ pk: { S: 'p' }, sk: { N: '1' }, n: { N: '8' } }],
      unsupported: 'ValidationException',
    });
  });
});

describe('aws/dynamodb PartiQL parser', () => {
  it('parses paths, literals, bags and parameters', () => {
    assert.deepEqual(
      parseStatement(`SELECT a.b[1], "c" FROM "t"."i" WHERE x = -1.5e2 AND y = ? OR z IS NOT MISSING`, [
        { S: 'p' },
      ]),
      {
        kind: 'select',
        projection: [['a', 'b', 1], ['c']],
        table: 't',
        index: 'i',
        where: {
          kind: 'or',
          left: {
            kind: 'and',
            left: {
              kind: 'compare',
              op: '=',
              left: { kind: 'path', path: ['x'] },
              right: { kind: 'value', value: { N: '-1.5e2' } },
            },
            right: {
              kind: 'compare',
              op: '=',
              left: { kind: 'path', path: ['y'] },
              right: { kind: 'value', value: { S: 'p' } },
            },
          },
          right: { kind: 'function', name: 'attribute_exists', args: [{ kind: 'path', path: ['z'] }] },
        },
      },
    );
    assert.deepEqual(parseStatement(`INSERT INTO t VALUE {'s': 'it''s', 'ns': <<1, 2>>}`), {
      kind: 'insert',
      table: 't',
      item: { s: { S: "it's" }, ns: { NS: ['1', '2'] } },
    });
  });

  it('reads words that are keywords elsewhere as attribute names', () => {
    assert.deepEqual(parseStatement(`SELECT count, value FROM t`), {
      kind: 'select',
      projection: [['count'], ['value']],
      table: 't',
      index: undefined,
      where: undefined,
    });
    assert.throws(() => parseStatement(`SELECT COUNT(*) FROM t`), { name: 'ValidationException' });
  });

  it('refuses a parameter count that does not match', () => {
    assert.throws(() => parseStatement(`SELECT * FROM t WHERE a = ?`), { name: 'ValidationException' });
    assert.throws(() => parseStatement(`SELECT * FROM t`, [{ S: 'x' }]), { name: 'ValidationException' });
  });
});
