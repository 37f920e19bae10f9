import {
  DescribeTimeToLiveCommand,
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { TTL_SWEEP_MS } from '../../../src/aws/dynamodb/time-to-live';
import { ManualClock } from '../../helpers/manual-clock';
import { createTable, NOW, startDynamo, streamRecords, type Harness } from './helpers';

const seconds = Math.floor(NOW / 1000);
const key = (pk: string) => ({ pk: { S: pk } });

describe('aws/dynamodb time to live', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(NOW);
    h = await startDynamo({ clock });
    await createTable(h.client, 'items', { viewType: 'OLD_IMAGE' });
  });

  afterEach(() => h.stop());

  const enable = (Enabled: boolean) =>
    h.client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'items',
        TimeToLiveSpecification: { Enabled, AttributeName: 'expires' },
      }),
    );
  const describeTtl = async () =>
    (await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'items' }))).TimeToLiveDescription;

  it('UpdateTimeToLive and DescribeTimeToLive', async () => {
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'DISABLED' });
    const { TimeToLiveSpecification } = await enable(true);
    assert.deepEqual(TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await assert.rejects(enable(true), {
      name: 'ValidationException',
      message: 'TimeToLive is already enabled',
    });
    await enable(false);
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'DISABLED' });
    const missing = await h.client
      .send(new DescribeTimeToLiveCommand({ TableName: 'nothing' }))
      .catch((e: unknown) => e);
    assert.ok(missing instanceof ResourceNotFoundException);
  });

  const exists = async (pk: string) =>
    (await h.client.send(new GetItemCommand({ TableName: 'items', Key: key(pk) }))).Item !== undefined;

  it("deletes expired items on the emulator's clock, as REMOVE records by the service", async () => {
    await enable(true);
    const put = (pk: string, expires: AttributeValue) =>
      h.client.send(new PutItemCommand({ TableName: 'items', Item: { ...key(pk), expires } }));
    await put('soon', { N: String(seconds + 5) });
    await put('later', { N: String(seconds + 3600) });
    await put('text', { S: String(seconds - 10) });
    await put('ancient', { N: String(seconds - 6 * 365 * 24 * 3600) });
    clock.advance(TTL_SWEEP_MS - 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await exists('soon'), true, 'not before the sweep');
    clock.advance(1);
    while (await exists('soon')) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(await Promise.all(['soon', 'later', 'text', 'ancient'].map(exists)), [
      false,
      true,
      true,
      true,
    ]);
    const removed = (await streamRecords(h, 'items')).filter((r) => r.eventName === 'REMOVE');
    assert.equal(removed.length, 1);
    assert.deepEqual(removed[0].userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    assert.deepEqual(removed[0].dynamodb?.OldImage, { ...key('soon'), expires: { N: String(seconds + 5) } });
    const inserted = (await streamRecords(h, 'items')).find((r) => r.eventName === 'INSERT');
    assert.equal(inserted?.userIdentity, undefined);
  });
});
