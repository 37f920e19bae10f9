import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import {
  ACCOUNT,
  arnOf,
  awsCli,
  CLI_ENV,
  fnArn,
  REGION,
  run,
  startEvents,
  type RunningEvents,
} from './helpers';

const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
const ARCHIVE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:archive/shop`;

/**
 * boto3 makes each call in turn (`[operation, kwargs]`, or `["wait_replay", name]` to poll
 * DescribeReplay until the replay has ended, or `["paginate", operation, kwargs]`) and prints, for each,
 * the answer without its ResponseMetadata or the ClientError's code, message and HTTP status.
 */
const BOTO3 = `
import json, sys, time, boto3
from botocore.exceptions import ClientError
url, calls = sys.argv[1], json.loads(sys.argv[2])
client = boto3.client('events', endpoint_url=url, region_name='${REGION}')
results = []
for call in calls:
    try:
        if call[0] == 'wait_replay':
            for _ in range(300):
                answer = client.describe_replay(ReplayName=call[1])
                if answer['State'] not in ('STARTING', 'RUNNING', 'CANCELLING'): break
                time.sleep(0.01)
        elif call[0] == 'paginate':
            pages = client.get_paginator(call[1]).paginate(**call[2])
            answer = {'pages': [page for page in pages]}
            for page in answer['pages']: page.pop('ResponseMetadata', None)
        else:
            answer = getattr(client, call[0])(**call[1])
        answer.pop('ResponseMetadata', None)
        results.append(answer)
    except ClientError as e:
        results.append({'error': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                        'status': e.response['ResponseMetadata']['HTTPStatusCode']})
print(json.dumps(results, default=str))
`;

type Answer = Record<string, unknown> & { error?: string; message?: string; status?: number };

async function boto3(url: string, calls: unknown[]): Promise<Answer[]> {
  const { stdout } = await run('python3', ['-c', BOTO3, url, JSON.stringify(calls)], { env: CLI_ENV });
  return JSON.parse(stdout) as Answer[];
}

/** `aws events ...` against `url`. */
const aws = (url: string, ...args: string[]) => awsCli(url, 'events', ...args);

describe('aws/events archives, replays, connections, permissions and tags through boto3 and the AWS CLI', function () {
  this.timeout(120_000);
  let events: RunningEvents;

  beforeEach(async () => {
    events = await startEvents();
  });

  afterEach(() => events.stop());

  it('archives and replays through boto3, the replayed event reaching an SQS target with replay-name', async () => {
    const { QueueUrl } = await events.sqs.send(new CreateQueueCommand({ QueueName: 'shop' }));
    const now = Math.floor(Date.now() / 1000);
    const entry = { Source: 'shop', DetailType: 'Order', Detail: '{"n": 1}' };
    const [
      archive,
      described,
      ,
      ,
      rule,
      ,
      ,
      ,
      replay,
      ended,
      listed,
      cancel,
      again,
      updated,
      listedArchives,
      ...rest
    ] = await boto3(events.url, [
      [
        'create_archive',
        { ArchiveName: 'shop', EventSourceArn: BUS_ARN, EventPattern: '{"source": ["shop"]}' },
      ],
      ['describe_archive', { ArchiveName: 'shop' }],
      ['put_events', { Entries: [entry] }],
      ['put_events', { Entries: [{ ...entry, Source: 'other' }] }],
      ['put_rule', { Name: 'shop', EventPattern: '{"source": ["shop"]}' }],
      ['put_targets', { Rule: 'shop', Targets: [{ Id: 'q', Arn: arnOf('sqs', 'shop') }] }],
      ['describe_archive', { ArchiveName: 'shop' }],
      ['list_archives', {}],
      [
        'start_replay',
        {
          ReplayName: 'again',
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: now - 60,
          EventEndTime: now + 60,
          Destination: { Arn: BUS_ARN },
        },
      ],
      ['wait_replay', 'again'],
      ['list_replays', { NamePrefix: 'ag' }],
      ['cancel_replay', { ReplayName: 'again' }],
      [
        'start_replay',
        {
          ReplayName: 'again',
          EventSourceArn: ARCHIVE_ARN,
          EventStartTime: now - 60,
          EventEndTime: now + 60,
          Destination: { Arn: BUS_ARN },
        },
      ],
      ['update_archive', { ArchiveName: 'shop', RetentionDays: 7 }],
      ['list_archives', { NamePrefix: 'sh' }],
      ['delete_archive', { ArchiveName: 'shop' }],
      ['describe_archive', { ArchiveName: 'shop' }],
      [
        'create_archive',
        { ArchiveName: 'bad', EventSourceArn: BUS_ARN, EventPattern: '{"n": [{"numeric": [">", 6e9]}]}' },
      ],
    ]);
    assert.deepEqual([archive.ArchiveArn, archive.State], [ARCHIVE_ARN, 'ENABLED']);
    assert.equal(described.EventCount, 0);
    assert.equal(rule.RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/shop`);
    assert.equal((replay as { State: string }).State, 'STARTING');
    assert.equal(ended.State, 'COMPLETED');
    assert.deepEqual(ended.Destination, { Arn: BUS_ARN });
    assert.deepEqual(
      (listed.Replays as Answer[]).map((r) => [r.ReplayName, r.State]),
      [['again', 'COMPLETED']],
    );
    assert.deepEqual([cancel.error, cancel.status], ['IllegalStatusException', 400]);
    assert.equal(again.error, 'ResourceAlreadyExistsException');
    assert.equal(updated.State, 'ENABLED');
    assert.deepEqual(
      (listedArchives.Archives as Answer[]).map((a) => [a.ArchiveName, a.RetentionDays, a.EventCount]),
      [['shop', 7, 1]],
    );
    const [deleted, gone, badPattern] = rest;
    assert.deepEqual(deleted, {});
    assert.deepEqual(gone, {
      error: 'ResourceNotFoundException',
      message: 'Archive shop does not exist.',
      status: 400,
    });
    assert.equal(badPattern.error, 'InvalidEventPatternException');

    const { Messages = [] } = await events.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    assert.deepEqual(
      Messages.map((message) => JSON.parse(message.Body as string)).map((event) => [
        event.source,
        event['replay-name'],
      ]),
      [['shop', 'again']],
    );
  });

  it('manages connections, API destinations, permissions and tags through boto3', async () => {
    const basic = { BasicAuthParameters: { Username: 'u', Password: 'p' } };
    const answers = await boto3(events.url, [
      ['create_connection', { Name: 'partner', AuthorizationType: 'BASIC', AuthParameters: basic }],
      ['describe_connection', { Name: 'partner' }],
      ['list_connections', {}],
      ['update_connection', { Name: 'partner', Description: 'd' }],
      ['describe_connection', { Name: 'none' }],
      ['put_permission', { Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'p' }],
      ['describe_event_bus', {}],
      ['remove_permission', { StatementId: 'p' }],
      ['remove_permission', { StatementId: 'p' }],
      ['put_rule', { Name: 'r', EventPattern: '{"source": ["s"]}', Tags: [{ Key: 'a', Value: '1' }] }],
      [
        'tag_resource',
        { ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`, Tags: [{ Key: 'b', Value: '2' }] },
      ],
      ['untag_resource', { ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`, TagKeys: ['a'] }],
      ['list_tags_for_resource', { ResourceARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r` }],
      [
        'test_event_pattern',
        {
          EventPattern: '{"detail": {"v": [{"numeric": ["=", 1.0000001]}]}}',
          Event:
            '{"id": "1", "account": "000000000000", "source": "s", "time": "2024-05-01T12:00:00Z", "region": "us-east-1", "resources": [], "detail-type": "t", "detail": {"v": 1}}',
        },
      ],
      [
        'test_event_pattern',
        { EventPattern: '{"detail": {"v": [{"numeric": ["<", -5000000001]}]}}', Event: '{}' },
      ],
    ]);
    const [created, described, listed, updated, missing, , bus, , notThere, , , , tags, matched, refused] =
      answers;
    assert.equal(created.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(described.AuthParameters, { BasicAuthParameters: { Username: 'u' } });
    assert.deepEqual(
      (listed.Connections as Answer[]).map((c) => c.Name),
      ['partner'],
    );
    assert.equal(updated.ConnectionArn, created.ConnectionArn);
    assert.deepEqual([missing.error, missing.status], ['ResourceNotFoundException', 400]);
    assert.equal(
      JSON.parse(bus.Policy as string).Statement[0].Principal.AWS,
      'arn:aws:iam::111122223333:root',
    );
    assert.equal(notThere.error, 'ResourceNotFoundException');
    assert.deepEqual(tags.Tags, [{ Key: 'b', Value: '2' }]);
    assert.equal(matched.Result, true);
    assert.equal(refused.error, 'InvalidEventPatternException');

    const destinations = await boto3(events.url, [
      [
        'create_api_destination',
        {
          Name: 'hook',
          ConnectionArn: created.ConnectionArn,
          InvocationEndpoint: 'https://example.com/hook',
          HttpMethod: 'POST',
          InvocationRateLimitPerSecond: 10,
        },
      ],
      ['describe_api_destination', { Name: 'hook' }],
      ['list_api_destinations', { NamePrefix: 'h' }],
      ['update_api_destination', { Name: 'hook', InvocationEndpoint: 'https://example.com/other' }],
      ['delete_api_destination', { Name: 'hook' }],
      ['delete_api_destination', { Name: 'hook' }],
      ['delete_connection', { Name: 'partner' }],
    ]);
    const [dest, destDescribed, destListed, destUpdated, destDeleted, destGone, connectionDeleted] =
      destinations;
    assert.equal(dest.ApiDestinationState, 'ACTIVE');
    assert.deepEqual([destDescribed.InvocationRateLimitPerSecond, destDescribed.HttpMethod], [10, 'POST']);
    assert.deepEqual(
      (destListed.ApiDestinations as Answer[]).map((d) => d.Name),
      ['hook'],
    );
    assert.equal(destUpdated.ApiDestinationArn, dest.ApiDestinationArn);
    assert.deepEqual(destDeleted, {});
    assert.equal(destGone.error, 'ResourceNotFoundException');
    assert.equal(connectionDeleted.ConnectionState, 'DELETING');
  });

  it("pages ListRuleNamesByTarget through boto3's paginator and the CLI", async () => {
    const calls: unknown[] = [];
    for (const name of ['a', 'b', 'c']) {
      calls.push(['put_rule', { Name: name, EventPattern: '{"source": ["s"]}' }]);
      calls.push(['put_targets', { Rule: name, Targets: [{ Id: 't', Arn: fnArn('f') }] }]);
    }
    calls.push([
      'paginate',
      'list_rule_names_by_target',
      { TargetArn: fnArn('f'), PaginationConfig: { PageSize: 2 } },
    ]);
    const answers = await boto3(events.url, calls);
    const { pages } = answers[answers.length - 1] as { pages: Answer[] };
    assert.deepEqual(
      pages.map((page) => page.RuleNames),
      [['a', 'b'], ['c']],
    );

    const cli = await aws(
      events.url,
      'list-rule-names-by-target',
      '--target-arn',
      fnArn('f'),
      '--page-size',
      '1',
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json?.RuleNames, ['a', 'b', 'c']);
  });

  it('starts a replay, tests a pattern and puts a permission through the AWS CLI', async () => {
    const archive = await aws(
      events.url,
      'create-archive',
      '--archive-name',
      'cli',
      '--event-source-arn',
      BUS_ARN,
    );
    assert.equal(archive.code, 0, archive.stderr);
    const put = await aws(
      events.url,
      'put-events',
      '--entries',
      JSON.stringify([{ Source: 's', DetailType: 'd', Detail: '{}' }]),
    );
    assert.equal(put.code, 0, put.stderr);
    const now = Date.now();
    const replay = await aws(
      events.url,
      'start-replay',
      '--replay-name',
      'cli',
      '--event-source-arn',
      `arn:aws:events:${REGION}:${ACCOUNT}:archive/cli`,
      '--event-start-time',
      new Date(now - 60_000).toISOString(),
      '--event-end-time',
      new Date(now + 60_000).toISOString(),
      '--destination',
      `Arn=${BUS_ARN}`,
    );
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(replay.json?.State, 'STARTING');
    const described = await aws(events.url, 'describe-replay', '--replay-name', 'cli');
    assert.equal(described.code, 0, described.stderr);
    assert.equal(described.json?.EventSourceArn, `arn:aws:events:${REGION}:${ACCOUNT}:archive/cli`);

    const pattern = await aws(
      events.url,
      'test-event-pattern',
      '--event-pattern',
      '{"detail": {"v": [{"numeric": [">", 10.5]}]}}',
      '--event',
      JSON.stringify({
        id: '1',
        account: ACCOUNT,
        source: 's',
        time: '2024-05-01T12:00:00Z',
        region: REGION,
        resources: [],
        'detail-type': 't',
        detail: { v: 10.5000001 },
      }),
    );
    assert.equal(pattern.code, 0, pattern.stderr);
    assert.deepEqual(pattern.json, { Result: false });
    const tooBig = await aws(
      events.url,
      'test-event-pattern',
      '--event-pattern',
      '{"v": [{"numeric": [">", 1e10]}]}',
      '--event',
      '{}',
    );
    assert.notEqual(tooBig.code, 0);
    assert.match(tooBig.stderr, /InvalidEventPatternException/);

    const permission = await aws(
      events.url,
      'put-permission',
      '--action',
      'events:PutEvents',
      '--principal',
      '*',
      '--statement-id',
      'all',
    );
    assert.equal(permission.code, 0, permission.stderr);
    const bus = await aws(events.url, 'describe-event-bus');
    assert.equal(JSON.parse(bus.json?.Policy as string).Statement[0].Sid, 'all');
  });
});
