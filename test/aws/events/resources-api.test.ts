import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  CreateEventBusCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeEventBusCommand,
  ListEventBusesCommand,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  ListRuleNamesByTargetCommand,
  ListTagsForResourceCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStateDatabase } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, failure, fnArn, REGION, startEvents, type RunningEvents } from './helpers';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const PATTERN = JSON.stringify({ source: ['shop'] });
const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;
const basic = { BasicAuthParameters: { Username: 'user', Password: 'secret' } };

describe('aws/events connections, API destinations, permissions, tags and rule lookups', () => {
  let events: RunningEvents;
  let clock: ManualClock;
  let ids: number;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    ids = 0;
    events = await startEvents({ clock, newId: () => `00000000-0000-4000-8000-00000000000${++ids}` });
  });

  afterEach(() => events.stop());

  it('creates, describes, lists, updates and deletes connections, never answering their secrets', async () => {
    const { client } = events;
    const created = await client.send(
      new CreateConnectionCommand({ Name: 'partner', AuthorizationType: 'BASIC', AuthParameters: basic }),
    );
    assert.match(
      created.ConnectionArn as string,
      new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:connection/partner/`),
    );
    assert.deepEqual(
      [created.ConnectionState, created.CreationTime?.getTime(), created.LastModifiedTime?.getTime()],
      ['AUTHORIZED', T0, T0],
    );
    await client.send(
      new CreateConnectionCommand({
        Name: 'keyed',
        Description: 'api key',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'v' } },
      }),
    );
    const described = await client.send(new DescribeConnectionCommand({ Name: 'partner' }));
    assert.equal(described.ConnectionArn, created.ConnectionArn);
    assert.equal(described.Name, 'partner');
    assert.equal(described.AuthorizationType, 'BASIC');
    assert.equal(described.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(described.AuthParameters, { BasicAuthParameters: { Username: 'user' } });
    assert.match(
      described.SecretArn as string,
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/partner\//,
    );

    const listed = await client.send(new ListConnectionsCommand({ NamePrefix: 'k' }));
    assert.deepEqual(
      listed.Connections?.map((c) => [c.Name, c.AuthorizationType, c.ConnectionState]),
      [['keyed', 'API_KEY', 'AUTHORIZED']],
    );
    const paged = await client.send(new ListConnectionsCommand({ Limit: 1 }));
    assert.deepEqual([paged.Connections?.map((c) => c.Name), Boolean(paged.NextToken)], [['keyed'], true]);

    clock.advance(1000);
    const updated = await client.send(
      new UpdateConnectionCommand({
        Name: 'partner',
        Description: 'now described',
        AuthParameters: { BasicAuthParameters: { Username: 'other' } },
      }),
    );
    assert.deepEqual(
      [updated.ConnectionState, updated.CreationTime?.getTime(), updated.LastModifiedTime?.getTime()],
      ['AUTHORIZED', T0, T0 + 1000],
    );
    const after = await client.send(new DescribeConnectionCommand({ Name: 'partner' }));
    assert.deepEqual(
      [after.Description, after.AuthParameters],
      ['now described', { BasicAuthParameters: { Username: 'other' } }],
    );

    const deleted = await client.send(new DeleteConnectionCommand({ Name: 'keyed' }));
    assert.equal(deleted.ConnectionState, 'DELETING');
    const gone = await failure(client.send(new DescribeConnectionCommand({ Name: 'keyed' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const again = await failure(
      client.send(
        new CreateConnectionCommand({ Name: 'partner', AuthorizationType: 'BASIC', AuthParameters: basic }),
      ),
    );
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    const badType = await failure(
      client.send(
        new CreateConnectionCommand({
          Name: 'x',
          AuthorizationType: 'NONE' as 'BASIC',
          AuthParameters: basic,
        }),
      ),
    );
    assert.equal(badType.name, 'ValidationException');
    const missingParameters = await failure(
      client.send(
        new CreateConnectionCommand({ Name: 'x', AuthorizationType: 'API_KEY', AuthParameters: basic }),
      ),
    );
    assert.equal(missingParameters.name, 'ValidationException');
  });

  it('creates, describes, lists, updates and deletes API destinations', async () => {
    const { client } = events;
    const { ConnectionArn } = await client.send(
      new CreateConnectionCommand({ Name: 'partner', AuthorizationType: 'BASIC', AuthParameters: basic }),
    );
    const created = await client.send(
      new CreateApiDestinationCommand({
        Name: 'webhook',
        ConnectionArn,
        InvocationEndpoint: 'https://example.com/hook',
        HttpMethod: 'POST',
      }),
    );
    assert.match(
      created.ApiDestinationArn as string,
      /^arn:aws:events:us-east-1:000000000000:api-destination\/webhook\//,
    );
    assert.deepEqual([created.ApiDestinationState, created.CreationTime?.getTime()], ['ACTIVE', T0]);
    const described = await client.send(new DescribeApiDestinationCommand({ Name: 'webhook' }));
    assert.deepEqual(
      [
        described.Name,
        described.ConnectionArn,
        described.InvocationEndpoint,
        described.HttpMethod,
        described.InvocationRateLimitPerSecond,
        described.ApiDestinationState,
      ],
      ['webhook', ConnectionArn, 'https://example.com/hook', 'POST', 300, 'ACTIVE'],
    );
    const listed = await client.send(new ListApiDestinationsCommand({ ConnectionArn }));
    assert.deepEqual(
      listed.ApiDestinations?.map((d) => d.Name),
      ['webhook'],
    );
    const updated = await client.send(
      new UpdateApiDestinationCommand({
        Name: 'webhook',
        HttpMethod: 'PUT',
        InvocationRateLimitPerSecond: 5,
      }),
    );
    assert.equal(updated.ApiDestinationState, 'ACTIVE');
    const after = await client.send(new DescribeApiDestinationCommand({ Name: 'webhook' }));
    assert.deepEqual([after.HttpMethod, after.InvocationRateLimitPerSecond], ['PUT', 5]);

    const noConnection = await failure(
      client.send(
        new CreateApiDestinationCommand({
          Name: 'other',
          ConnectionArn: `arn:aws:events:${REGION}:${ACCOUNT}:connection/none/x`,
          InvocationEndpoint: 'https://example.com',
          HttpMethod: 'POST',
        }),
      ),
    );
    assert.equal(noConnection.name, 'ResourceNotFoundException');
    const duplicate = await failure(
      client.send(
        new CreateApiDestinationCommand({
          Name: 'webhook',
          ConnectionArn,
          InvocationEndpoint: 'https://example.com',
          HttpMethod: 'POST',
        }),
      ),
    );
    assert.equal(duplicate.name, 'ResourceAlreadyExistsException');
    const badMethod = await failure(
      client.send(
        new CreateApiDestinationCommand({
          Name: 'x',
          ConnectionArn,
          InvocationEndpoint: 'https://example.com',
          HttpMethod: 'TRACE' as 'POST',
        }),
      ),
    );
    assert.equal(badMethod.name, 'ValidationException');

    await client.send(new DeleteApiDestinationCommand({ Name: 'webhook' }));
    const gone = await failure(client.send(new DescribeApiDestinationCommand({ Name: 'webhook' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it("puts and removes permissions in the bus's policy, which DescribeEventBus answers", async () => {
    const { client } = events;
    assert.equal((await client.send(new DescribeEventBusCommand({}))).Policy, undefined);
    await client.send(
      new PutPermissionCommand({
        Action: 'events:PutEvents',
        Principal: '111122223333',
        StatementId: 'partner',
      }),
    );
    await client.send(
      new PutPermissionCommand({
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      }),
    );
    const policy = JSON.parse((await client.send(new DescribeEventBusCommand({}))).Policy as string);
    assert.deepEqual(policy, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'events:PutEvents',
          Resource: busArn('default'),
        },
        {
          Sid: 'org',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn('default'),
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
        },
      ],
    });
    await client.send(new RemovePermissionCommand({ StatementId: 'partner' }));
    const left = JSON.parse((await client.send(new DescribeEventBusCommand({}))).Policy as string);
    assert.deepEqual(
      left.Statement.map((s: { Sid: string }) => s.Sid),
      ['org'],
    );
    const missing = await failure(client.send(new RemovePermissionCommand({ StatementId: 'partner' })));
    assert.deepEqual(
      [missing.name, missing.message],
      ['ResourceNotFoundException', 'Statement with the provided id does not exist.'],
    );
    await client.send(new RemovePermissionCommand({ RemoveAllPermissions: true }));
    assert.equal((await client.send(new DescribeEventBusCommand({}))).Policy, undefined);

    await client.send(new CreateEventBusCommand({ Name: 'custom' }));
    const whole = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'all', Effect: 'Allow' }] });
    await client.send(new PutPermissionCommand({ EventBusName: 'custom', Policy: whole }));
    assert.equal((await client.send(new DescribeEventBusCommand({ Name: 'custom' }))).Policy, whole);
    const buses = await client.send(new ListEventBusesCommand({}));
    assert.deepEqual(
      buses.EventBuses?.map((bus) => [bus.Name, bus.Policy]),
      [
        ['custom', whole],
        ['default', undefined],
      ],
    );
    const noBus = await failure(
      client.send(
        new PutPermissionCommand({
          EventBusName: 'none',
          Action: 'events:PutEvents',
          Principal: '*',
          StatementId: 's',
        }),
      ),
    );
    assert.equal(noBus.name, 'ResourceNotFoundException');
  });

  it('tags rules (PutRule Tags, TagResource) and buses, and forgets the tags of a deleted rule', async () => {
    const { client } = events;
    await client.send(
      new PutRuleCommand({ Name: 'tagged', EventPattern: PATTERN, Tags: [{ Key: 'team', Value: 'shop' }] }),
    );
    await client.send(
      new TagResourceCommand({
        ResourceARN: ruleArn('tagged'),
        Tags: [
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: 'orders' },
        ],
      }),
    );
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('tagged') }));
    assert.deepEqual(tags.Tags, [
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'orders' },
    ]);
    await client.send(new UntagResourceCommand({ ResourceARN: ruleArn('tagged'), TagKeys: ['env'] }));
    assert.deepEqual(
      (await client.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('tagged') }))).Tags,
      [{ Key: 'team', Value: 'orders' }],
    );

    await client.send(new CreateEventBusCommand({ Name: 'custom', Tags: [{ Key: 'k', Value: 'v' }] }));
    await client.send(
      new PutRuleCommand({ Name: 'on-custom', EventBusName: 'custom', EventPattern: PATTERN }),
    );
    await client.send(
      new TagResourceCommand({
        ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/custom/on-custom`,
        Tags: [{ Key: 'a', Value: 'b' }],
      }),
    );
    assert.deepEqual(
      (await client.send(new ListTagsForResourceCommand({ ResourceARN: busArn('custom') }))).Tags,
      [{ Key: 'k', Value: 'v' }],
    );

    await client.send(new DeleteRuleCommand({ Name: 'tagged' }));
    const gone = await failure(
      client.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('tagged') })),
    );
    assert.equal(gone.name, 'ResourceNotFoundException');
    await client.send(new PutRuleCommand({ Name: 'tagged', EventPattern: PATTERN }));
    assert.deepEqual(
      (await client.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('tagged') }))).Tags,
      [],
    );
    const notFound = await failure(
      client.send(new TagResourceCommand({ ResourceARN: ruleArn('none'), Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    assert.equal(notFound.name, 'ResourceNotFoundException');
  });

  it('lists the names of the rules that target an ARN, a page at a time', async () => {
    const { client } = events;
    for (const name of ['a', 'b', 'c']) {
      await client.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: fnArn('shared') }] }));
    }
    await client.send(new PutRuleCommand({ Name: 'd', EventPattern: PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: 'd', Targets: [{ Id: 't', Arn: fnArn('other') }] }));
    const first = await client.send(
      new ListRuleNamesByTargetCommand({ TargetArn: fnArn('shared'), Limit: 2 }),
    );
    assert.deepEqual(first.RuleNames, ['a', 'b']);
    const second = await client.send(
      new ListRuleNamesByTargetCommand({ TargetArn: fnArn('shared'), Limit: 2, NextToken: first.NextToken }),
    );
    assert.deepEqual([second.RuleNames, second.NextToken], [['c'], undefined]);
    const none = await client.send(new ListRuleNamesByTargetCommand({ TargetArn: fnArn('nobody') }));
    assert.deepEqual(none.RuleNames, []);
    const noBus = await failure(
      client.send(new ListRuleNamesByTargetCommand({ TargetArn: fnArn('shared'), EventBusName: 'none' })),
    );
    assert.equal(noBus.name, 'ResourceNotFoundException');
  });

  it('keeps connections, API destinations, policies and tags across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'events-resources-'));
    try {
      const firstDb = openStateDatabase(dir, { reset: false });
      const first = await startEvents({ db: firstDb, clock });
      const { ConnectionArn } = await first.client.send(
        new CreateConnectionCommand({ Name: 'partner', AuthorizationType: 'BASIC', AuthParameters: basic }),
      );
      await first.client.send(
        new CreateApiDestinationCommand({
          Name: 'webhook',
          ConnectionArn,
          InvocationEndpoint: 'https://example.com/hook',
          HttpMethod: 'POST',
        }),
      );
      await first.client.send(
        new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's' }),
      );
      await first.client.send(
        new PutRuleCommand({ Name: 'tagged', EventPattern: PATTERN, Tags: [{ Key: 'k', Value: 'v' }] }),
      );
      await first.stop();
      firstDb.close();

      const secondDb = openStateDatabase(dir, { reset: false });
      const second = await startEvents({ db: secondDb, clock });
      try {
        const connection = await second.client.send(new DescribeConnectionCommand({ Name: 'partner' }));
        assert.equal(connection.ConnectionArn, ConnectionArn);
        const destination = await second.client.send(new DescribeApiDestinationCommand({ Name: 'webhook' }));
        assert.equal(destination.ConnectionArn, ConnectionArn);
        const bus = await second.client.send(new DescribeEventBusCommand({}));
        assert.equal(JSON.parse(bus.Policy as string).Statement[0].Sid, 's');
        const tags = await second.client.send(
          new ListTagsForResourceCommand({ ResourceARN: ruleArn('tagged') }),
        );
        assert.deepEqual(tags.Tags, [{ Key: 'k', Value: 'v' }]);
      } finally {
        await second.stop();
        secondDb.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
