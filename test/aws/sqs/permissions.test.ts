import {
  AddPermissionCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  RemovePermissionCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { query, queueArn, startSqs, type Harness } from './helpers';

describe('aws/sqs permissions', () => {
  let sqs: Harness;
  let QueueUrl: string;
  const policy = async () => {
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }),
    );
    return Attributes?.Policy === undefined ? undefined : (JSON.parse(Attributes.Policy) as unknown);
  };

  beforeEach(async () => {
    sqs = await startSqs();
    QueueUrl = (await sqs.client.send(new CreateQueueCommand({ QueueName: 'shared' }))).QueueUrl as string;
  });
  afterEach(() => sqs.stop());

  it('writes AddPermission into the queue’s Policy, one statement per label, and RemovePermission takes it out', async () => {
    await sqs.client.send(
      new AddPermissionCommand({
        QueueUrl,
        Label: 'send',
        AWSAccountIds: ['111122223333'],
        Actions: ['SendMessage'],
      }),
    );
    await sqs.client.send(
      new AddPermissionCommand({
        QueueUrl,
        Label: 'read',
        AWSAccountIds: ['111122223333', '444455556666'],
        Actions: ['ReceiveMessage', 'DeleteMessage'],
      }),
    );
    const arn = queueArn('shared');
    assert.deepEqual(await policy(), {
      Version: '2012-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'send',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'SQS:SendMessage',
          Resource: arn,
        },
        {
          Sid: 'read',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] },
          Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'],
          Resource: arn,
        },
      ],
    });
    await sqs.client.send(new RemovePermissionCommand({ QueueUrl, Label: 'send' }));
    assert.deepEqual(
      ((await policy()) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid),
      ['read'],
    );
    await sqs.client.send(new RemovePermissionCommand({ QueueUrl, Label: 'read' }));
    assert.equal(await policy(), undefined);
  });

  it('refuses what SQS refuses: a label twice, an unknown one, owner-only actions, over 7 actions', async () => {
    const add = (Label: string, Actions: string[], AWSAccountIds = ['111122223333']) =>
      sqs.client.send(new AddPermissionCommand({ QueueUrl, Label, AWSAccountIds, Actions }));
    await add('once', ['*']);
    await assert.rejects(add('once', ['SendMessage']), {
      name: 'InvalidParameterValue',
      message: 'Value once for parameter Label is invalid. Reason: Already exists.',
    });
    await assert.rejects(add('owner', ['DeleteQueue']), {
      name: 'InvalidParameterValue',
      message:
        'Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
    });
    await assert.rejects(
      add('many', Array(8).fill('SendMessage')),
      (error: Error & { $metadata?: object }) => {
        assert.equal(error.name, 'OverLimit');
        assert.equal(error.message, '8 Actions were found, maximum allowed is 7.');
        assert.equal((error.$metadata as { httpStatusCode?: number }).httpStatusCode, 403);
        return true;
      },
    );
    await assert.rejects(add('nobody', ['SendMessage'], []), {
      name: 'InvalidParameterValue',
      message: 'Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.',
    });
    await assert.rejects(add('bad label!', ['SendMessage']), { name: 'InvalidParameterValue' });
    await assert.rejects(sqs.client.send(new RemovePermissionCommand({ QueueUrl, Label: 'never' })), {
      name: 'InvalidParameterValue',
      message: "Value never for parameter Label is invalid. Reason: can't find label on existing policy.",
    });
  });

  it('adds to a fresh policy when the queue’s Policy is not a JSON object', async () => {
    for (const Policy of ['"text"', 'null', 'not json']) {
      await sqs.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
      await sqs.client.send(
        new AddPermissionCommand({ QueueUrl, Label: 'l', AWSAccountIds: ['111122223333'], Actions: ['*'] }),
      );
      assert.deepEqual(Object.keys((await policy()) as object), ['Version', 'Id', 'Statement'], Policy);
    }
  });

  it('takes AddPermission’s flattened lists over Query', async () => {
    const added = await query(sqs.url, {
      Action: 'AddPermission',
      QueueUrl,
      Label: 'q',
      'AWSAccountId.1': '111122223333',
      'ActionName.1': 'SendMessage',
      'ActionName.2': 'GetQueueUrl',
    });
    assert.equal(added.status, 200, added.text);
    assert.match(added.text, /<AddPermissionResponse /);
    const statement = (await policy()) as { Statement: Array<{ Action: string[] }> };
    assert.deepEqual(statement.Statement[0].Action, ['SQS:SendMessage', 'SQS:GetQueueUrl']);
    const removed = await query(sqs.url, { Action: 'RemovePermission', QueueUrl, Label: 'q' });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(await policy(), undefined);
  });
});
