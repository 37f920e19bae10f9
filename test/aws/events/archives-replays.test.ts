import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
  type DescribeReplayCommandOutput,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStateDatabase } from '../../../src/state/database';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, arnOf, failure, REGION, startEvents, type RunningEvents } from './helpers';

const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
const archiveArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:archive/${name}`;
const T0 = Date.parse('2024-05-01T12:00:00Z');
const order = (kind: string, EventBusName?: string) =>
  new PutEventsCommand({
    Entries: [{ Source: 'shop', DetailType: 'Order', Detail: JSON.stringify({ kind }), EventBusName }],
  });

/** DescribeReplay until the replay has ended (it runs on the emulator's clock once StartReplay has answered). */
async function ended(
  client: EventBridgeClient,
  ReplayName: string,
  clock: ManualClock,
): Promise<DescribeReplayCommandOutput> {
  for (let i = 0; i < 200; i++) {
    clock.advance(0);
    const replay = await client.send(new DescribeReplayCommand({ ReplayName }));
    if (!['STARTING', 'RUNNING', 'CANCELLING'].includes(replay.State as string)) return replay;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`replay ${ReplayName} did not end`);
}

describe('aws/events archives and replays', () => {
  let events: RunningEvents;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    events = await startEvents({ clock });
  });

  afterEach(() => events.stop());

  const queue = async (name: string) => {
    const { QueueUrl } = await events.sqs.send(new CreateQueueCommand({ QueueName: name }));
    return { url: QueueUrl as string, arn: arnOf('sqs', name) };
  };
  const receive = async (url: string): Promise<Message[]> => {
    const { Messages = [] } = await events.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return Messages;
  };

  it('creates, describes, lists, updates and deletes archives, counting the events they keep', async () => {
    const { client } = events;
    const created = await client.send(
      new CreateArchiveCommand({
        ArchiveName: 'orders',
        EventSourceArn: BUS_ARN,
        EventPattern: JSON.stringify({ detail: { kind: ['order'] } }),
        Description: 'kept orders',
      }),
    );
    assert.deepEqual(
      [created.ArchiveArn, created.State, created.CreationTime?.getTime()],
      [archiveArn('orders'), 'ENABLED', T0],
    );
    await client.send(
      new CreateArchiveCommand({ ArchiveName: 'all', EventSourceArn: BUS_ARN, RetentionDays: 3 }),
    );
    await client.send(order('order'));
    await client.send(order('refund'));

    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }));
    assert.equal(described.ArchiveArn, archiveArn('orders'));
    assert.equal(described.EventSourceArn, BUS_ARN);
    assert.equal(described.Description, 'kept orders');
    assert.equal(described.State, 'ENABLED');
    assert.equal(described.RetentionDays, 0);
    assert.equal(described.EventCount, 1);
    assert.ok((described.SizeBytes ?? 0) > 0);
    const all = await client.send(new DescribeArchiveCommand({ ArchiveName: 'all' }));
    assert.deepEqual([all.EventCount, all.RetentionDays, all.EventPattern], [2, 3, undefined]);

    const listed = await client.send(new ListArchivesCommand({ NamePrefix: 'ord' }));
    assert.deepEqual(
      listed.Archives?.map((a) => [a.ArchiveName, a.EventSourceArn, a.State, a.EventCount]),
      [['orders', BUS_ARN, 'ENABLED', 1]],
    );
    const paged = await client.send(new ListArchivesCommand({ Limit: 1 }));
    assert.deepEqual(
      paged.Archives?.map((a) => a.ArchiveName),
      ['all'],
    );
    const next = await client.send(new ListArchivesCommand({ Limit: 1, NextToken: paged.NextToken }));
    assert.deepEqual([next.Archives?.map((a) => a.ArchiveName), next.NextToken], [['orders'], undefined]);

    const updated = await client.send(
      new UpdateArchiveCommand({ ArchiveName: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }),
    );
    assert.deepEqual([updated.ArchiveArn, updated.State], [archiveArn('orders'), 'ENABLED']);
    await client.send(order('refund'));
    const after = await client.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }));
    assert.deepEqual([after.EventCount, after.Description], [2, 'kept orders']);

    // Past its retention an event is dropped (on the emulator's clock).
    clock.advance(4 * 86_400_000);
    assert.equal((await client.send(new DescribeArchiveCommand({ ArchiveName: 'all' }))).EventCount, 0);

    await client.send(new DeleteArchiveCommand({ ArchiveName: 'orders' }));
    const gone = await failure(client.send(new DescribeArchiveCommand({ ArchiveName: 'orders' })));
    assert.deepEqual(gone, {
      name: 'ResourceNotFoundException',
      message: 'Archive orders does not exist.',
      status: 400,
    });
  });

  it("answers AWS's errors for archives", async () => {
    const { client } = events;
    await client.send(new CreateArchiveCommand({ ArchiveName: 'a', EventSourceArn: BUS_ARN }));
    const again = await failure(
      client.send(new CreateArchiveCommand({ ArchiveName: 'a', EventSourceArn: BUS_ARN })),
    );
    assert.deepEqual(
      [again.name, again.message],
      ['ResourceAlreadyExistsException', 'Archive a already exists.'],
    );
    const noBus = await failure(
      client.send(
        new CreateArchiveCommand({
          ArchiveName: 'b',
          EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/none`,
        }),
      ),
    );
    assert.deepEqual(
      [noBus.name, noBus.message],
      ['ResourceNotFoundException', 'Event bus none does not exist.'],
    );
    const badPattern = await failure(
      client.send(
        new CreateArchiveCommand({ ArchiveName: 'c', EventSourceArn: BUS_ARN, EventPattern: '{"a": 1}' }),
      ),
    );
    assert.equal(badPattern.name, 'InvalidEventPatternException');
    const badName = await failure(
      client.send(new CreateArchiveCommand({ ArchiveName: 'a b', EventSourceArn: BUS_ARN })),
    );
    assert.equal(badName.name, 'ValidationException');
    const update = await failure(client.send(new UpdateArchiveCommand({ ArchiveName: 'none' })));
    assert.equal(update.name, 'ResourceNotFoundException');
    const remove = await failure(client.send(new DeleteArchiveCommand({ ArchiveName: 'none' })));
    assert.equal(remove.name, 'ResourceNotFoundException');
  });

  it('replays archived events of the window to the rule targets, with replay-name set (SQS, end to end)', async () => {
    const { client } = events;
    const orders = await queue('orders');
    const refunds = await queue('refunds');
    await client.send(
      new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }),
    );
    await client.send(new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'q', Arn: orders.arn }] }));
    const refundRule = await client.send(
      new PutRuleCommand({ Name: 'refunds', EventPattern: JSON.stringify({ detail: { kind: ['refund'] } }) }),
    );
    await client.send(new PutTargetsCommand({ Rule: 'refunds', Targets: [{ Id: 'q', Arn: refunds.arn }] }));
    await client.send(new CreateArchiveCommand({ ArchiveName: 'shop', EventSourceArn: BUS_ARN }));

    const first = await client.send(order('order'));
    await client.send(order('refund'));
    clock.advance(3_600_000);
    await client.send(order('late'));
    assert.equal((await receive(orders.url)).length, 3);
    assert.equal((await receive(refunds.url)).length, 1);

    clock.advance(60_000);
    const started = await client.send(
      new StartReplayCommand({
        ReplayName: 'morning',
        Description: 'the first hour',
        EventSourceArn: archiveArn('shop'),
        EventStartTime: new Date(T0 - 60_000),
        EventEndTime: new Date(T0 + 60_000),
        Destination: { Arn: BUS_ARN },
      }),
    );
    assert.deepEqual(
      [started.ReplayArn, started.State, started.ReplayStartTime?.getTime()],
      [`arn:aws:events:${REGION}:${ACCOUNT}:replay/morning`, 'STARTING', T0 + 3_660_000],
    );
    const replay = await ended(client, 'morning', clock);
    assert.equal(replay.State, 'COMPLETED');
    assert.equal(replay.ReplayName, 'morning');
    assert.equal(replay.Description, 'the first hour');
    assert.equal(replay.EventSourceArn, archiveArn('shop'));
    assert.deepEqual(replay.Destination, { Arn: BUS_ARN });
    assert.equal(replay.EventStartTime?.getTime(), T0 - 60_000);
    assert.equal(replay.EventEndTime?.getTime(), T0 + 60_000);
    assert.equal(replay.EventLastReplayedTime?.getTime(), T0);
    assert.equal(replay.ReplayEndTime?.getTime(), T0 + 3_660_000);

    const replayed = (await receive(orders.url)).map((message) => JSON.parse(message.Body as string));
    assert.deepEqual(replayed.map((event) => [event.detail.kind, event['replay-name']]).sort(), [
      ['order', 'morning'],
      ['refund', 'morning'],
    ]);
    assert.ok(replayed.some((event) => event.id === first.Entries?.[0].EventId));
    const replayedRefunds = (await receive(refunds.url)).map((m) => JSON.parse(m.Body as string));
    assert.deepEqual(
      replayedRefunds.map((event) => [event.detail.kind, event['replay-name']]),
      [['refund', 'morning']],
    );

    // Only the rules of Destination.FilterArns.
    await client.send(
      new StartReplayCommand({
        ReplayName: 'refunds-only',
        EventSourceArn: archiveArn('shop'),
        EventStartTime: new Date(T0 - 60_000),
        EventEndTime: new Date(T0 + 7_200_000),
        Destination: { Arn: BUS_ARN, FilterArns: [refundRule.RuleArn as string] },
      }),
    );
    assert.equal((await ended(client, 'refunds-only', clock)).State, 'COMPLETED');
    assert.deepEqual(await receive(orders.url), []);
    const [refund] = await receive(refunds.url);
    assert.equal(JSON.parse(refund.Body as string)['replay-name'], 'refunds-only');

    // Replayed events are not archived again.
    assert.equal((await client.send(new DescribeArchiveCommand({ ArchiveName: 'shop' }))).EventCount, 3);

    const listed = await client.send(new ListReplaysCommand({ NamePrefix: 'morn' }));
    assert.deepEqual(
      listed.Replays?.map((r) => [r.ReplayName, r.State, r.EventSourceArn]),
      [['morning', 'COMPLETED', archiveArn('shop')]],
    );
    const completed = await client.send(new ListReplaysCommand({ State: 'COMPLETED', Limit: 1 }));
    assert.equal(completed.Replays?.length, 1);
    assert.ok(completed.NextToken);
  });

  it("cancels a replay and answers AWS's errors for replays", async () => {
    const { client } = events;
    await client.send(new CreateEventBusCommand({ Name: 'other' }));
    await client.send(new CreateArchiveCommand({ ArchiveName: 'shop', EventSourceArn: BUS_ARN }));
    const start = (ReplayName: string, Arn = BUS_ARN, EventSourceArn = archiveArn('shop')) =>
      client.send(
        new StartReplayCommand({
          ReplayName,
          EventSourceArn,
          EventStartTime: new Date(T0 - 60_000),
          EventEndTime: new Date(T0),
          Destination: { Arn },
        }),
      );
    const cancelled = await start('cancelled');
    assert.equal(cancelled.State, 'STARTING');
    const cancel = await client.send(new CancelReplayCommand({ ReplayName: 'cancelled' }));
    assert.deepEqual(
      [cancel.ReplayArn, cancel.State],
      [`arn:aws:events:${REGION}:${ACCOUNT}:replay/cancelled`, 'CANCELLING'],
    );
    assert.equal((await ended(client, 'cancelled', clock)).State, 'CANCELLED');
    const again = await failure(client.send(new CancelReplayCommand({ ReplayName: 'cancelled' })));
    assert.equal(again.name, 'IllegalStatusException');

    const duplicate = await failure(start('cancelled'));
    assert.deepEqual(
      [duplicate.name, duplicate.message],
      ['ResourceAlreadyExistsException', 'Replay cancelled already exists.'],
    );
    const noArchive = await failure(start('x', BUS_ARN, archiveArn('none')));
    assert.deepEqual(
      [noArchive.name, noArchive.message],
      ['ResourceNotFoundException', 'Archive none does not exist.'],
    );
    const crossBus = await failure(start('y', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/other`));
    assert.equal(crossBus.name, 'ValidationException');
    assert.match(crossBus.message, /Cross event bus replay is not permitted/);
    const backwards = await failure(
      client.send(
        new StartReplayCommand({
          ReplayName: 'z',
          EventSourceArn: archiveArn('shop'),
          EventStartTime: new Date(T0),
          EventEndTime: new Date(T0 - 1000),
          Destination: { Arn: BUS_ARN },
        }),
      ),
    );
    assert.equal(backwards.name, 'ValidationException');
    const missing = await failure(client.send(new DescribeReplayCommand({ ReplayName: 'none' })));
    assert.deepEqual(
      [missing.name, missing.message],
      ['ResourceNotFoundException', 'Replay none does not exist.'],
    );
  });

  it('keeps archives, their events and replays across a restart (the state database)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'events-archives-'));
    try {
      const firstDb = openStateDatabase(dir, { reset: false });
      const first = await startEvents({ db: firstDb, clock, log: () => undefined });
      await first.client.send(new CreateArchiveCommand({ ArchiveName: 'kept', EventSourceArn: BUS_ARN }));
      await first.client.send(order('order'));
      await first.client.send(
        new StartReplayCommand({
          ReplayName: 'before',
          EventSourceArn: archiveArn('kept'),
          EventStartTime: new Date(T0 - 1000),
          EventEndTime: new Date(T0 + 1000),
          Destination: { Arn: BUS_ARN },
        }),
      );
      assert.equal((await ended(first.client, 'before', clock)).State, 'COMPLETED');
      // One left STARTING when the emulator stops does not resume: it is FAILED after the restart.
      await first.client.send(
        new StartReplayCommand({
          ReplayName: 'unfinished',
          EventSourceArn: archiveArn('kept'),
          EventStartTime: new Date(T0 - 1000),
          EventEndTime: new Date(T0 + 1000),
          Destination: { Arn: BUS_ARN },
        }),
      );
      await first.stop();
      firstDb.close();

      const secondDb = openStateDatabase(dir, { reset: false });
      const second = await startEvents({ db: secondDb, clock });
      try {
        const archive = await second.client.send(new DescribeArchiveCommand({ ArchiveName: 'kept' }));
        assert.equal(archive.EventCount, 1);
        assert.equal(
          (await second.client.send(new DescribeReplayCommand({ ReplayName: 'before' }))).State,
          'COMPLETED',
        );
        const unfinished = await second.client.send(new DescribeReplayCommand({ ReplayName: 'unfinished' }));
        assert.deepEqual(
          [unfinished.State, unfinished.StateReason],
          ['FAILED', 'The emulator stopped before the replay ended.'],
        );
        const orders = await second.sqs.send(new CreateQueueCommand({ QueueName: 'later' }));
        await second.client.send(new PutRuleCommand({ Name: 'later', EventPattern: '{"source": ["shop"]}' }));
        await second.client.send(
          new PutTargetsCommand({ Rule: 'later', Targets: [{ Id: 'q', Arn: arnOf('sqs', 'later') }] }),
        );
        await second.client.send(
          new StartReplayCommand({
            ReplayName: 'after',
            EventSourceArn: archiveArn('kept'),
            EventStartTime: new Date(T0 - 1000),
            EventEndTime: new Date(T0 + 1000),
            Destination: { Arn: BUS_ARN },
          }),
        );
        assert.equal((await ended(second.client, 'after', clock)).State, 'COMPLETED');
        const { Messages = [] } = await second.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: orders.QueueUrl, MaxNumberOfMessages: 10 }),
        );
        assert.deepEqual(
          Messages.map((m) => JSON.parse(m.Body as string)['replay-name']),
          ['after'],
        );
      } finally {
        await second.stop();
        secondDb.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
