import {
  BackupNotFoundException,
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  ListBackupsCommand,
  PutItemCommand,
  TableNotFoundException,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { ManualClock } from '../../helpers/manual-clock';
import { ACCOUNT, createTable, NOW, REGION, startDynamo, type Harness } from './helpers';

const tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/items`;

describe('aws/dynamodb backups, point-in-time recovery, limits and endpoints', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(NOW);
    h = await startDynamo({ clock });
    await createTable(h.client, 'items');
  });

  afterEach(() => h.stop());

  it('DescribeContinuousBackups and UpdateContinuousBackups', async () => {
    const describe = async () =>
      (await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'items' })))
        .ContinuousBackupsDescription;
    assert.deepEqual(await describe(), {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    });
    const { ContinuousBackupsDescription } = await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'items',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      }),
    );
    assert.deepEqual(ContinuousBackupsDescription?.PointInTimeRecoveryDescription, {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 7,
      EarliestRestorableDateTime: new Date(NOW),
      LatestRestorableDateTime: new Date(NOW),
    });
    clock.advance(3_600_000);
    const later = (await describe())?.PointInTimeRecoveryDescription;
    assert.deepEqual(later?.LatestRestorableDateTime, new Date(NOW + 3_600_000 - 300_000));
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'items',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );
    assert.equal((await describe())?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED');
    await assert.rejects(
      h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'nothing' })),
      (error: unknown) => error instanceof TableNotFoundException,
    );
  });

  it('CreateBackup, DescribeBackup, ListBackups and DeleteBackup as stored records', async () => {
    await h.client.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' } } }));
    const { BackupDetails } = await h.client.send(
      new CreateBackupCommand({ TableName: 'items', BackupName: 'nightly' }),
    );
    assert.match(BackupDetails?.BackupArn ?? '', new RegExp(`^${tableArn}/backup/\\d{14}-[0-9a-f]{8}$`));
    assert.equal(BackupDetails?.BackupStatus, 'CREATING');
    assert.equal(BackupDetails?.BackupType, 'USER');
    assert.deepEqual(BackupDetails?.BackupCreationDateTime, new Date(NOW));
    const backupArn = BackupDetails?.BackupArn;

    const { BackupDescription } = await h.client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    assert.equal(BackupDescription?.BackupDetails?.BackupStatus, 'AVAILABLE');
    assert.equal(BackupDescription?.SourceTableDetails?.TableName, 'items');
    assert.equal(BackupDescription?.SourceTableDetails?.TableArn, tableArn);
    assert.deepEqual(BackupDescription?.SourceTableDetails?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
    ]);

    const { BackupSummaries } = await h.client.send(new ListBackupsCommand({ TableName: 'items' }));
    assert.deepEqual(
      BackupSummaries?.map((b) => [b.BackupName, b.TableName, b.BackupStatus]),
      [['nightly', 'items', 'AVAILABLE']],
    );
    const deleted = await h.client.send(new DeleteBackupCommand({ BackupArn: backupArn }));
    assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED');
    assert.deepEqual((await h.client.send(new ListBackupsCommand({}))).BackupSummaries, []);
    await assert.rejects(
      h.client.send(new DescribeBackupCommand({ BackupArn: backupArn })),
      (error: unknown) => error instanceof BackupNotFoundException,
    );
    await assert.rejects(
      h.client.send(new CreateBackupCommand({ TableName: 'nothing', BackupName: 'x1x' })),
      (error: unknown) => error instanceof TableNotFoundException,
    );
  });

  it('DescribeLimits and DescribeEndpoints', async () => {
    const limits = await h.client.send(new DescribeLimitsCommand({}));
    assert.deepEqual(
      [
        limits.AccountMaxReadCapacityUnits,
        limits.AccountMaxWriteCapacityUnits,
        limits.TableMaxReadCapacityUnits,
        limits.TableMaxWriteCapacityUnits,
      ],
      [80000, 80000, 40000, 40000],
    );
    const { Endpoints } = await h.client.send(new DescribeEndpointsCommand({}));
    assert.deepEqual(Endpoints, [
      { Address: `dynamodb.${REGION}.amazonaws.com`, CachePeriodInMinutes: 1440 },
    ]);
  });
});
