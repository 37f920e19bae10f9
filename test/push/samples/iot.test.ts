import { strict as assert } from 'node:assert';
import type { IoTEvent, IoTPreProvisioningHookEvent } from 'aws-lambda';
import { sourceInvocation } from '../../../src/classify/origin';
import { iotEvent, iotPreProvisioningHookEvent, topicOfSql } from '../../../src/push/samples/iot';
import { service, sourceOf } from './helpers';

describe('push/samples iot', () => {
  it('reads the topic filter of the FROM clause', () => {
    assert.equal(
      topicOfSql("SELECT * FROM 'sensors/+/temperature' WHERE value > 50"),
      'sensors/+/temperature',
    );
    assert.equal(topicOfSql('select temp, topic() as t from "devices/#"'), 'devices/#');
    assert.equal(topicOfSql('SELECT 1'), undefined);
  });

  it('sends a small message on a topic the rule accepts, wildcards filled in', () => {
    const { spec, context, sample } = sourceOf(
      'iot',
      service([{ iot: { sql: "SELECT * FROM 'sensors/+/temperature/#'" } }]),
    );
    // IoTEvent is any JSON value: the rule's SQL decides the shape.
    const event: IoTEvent<object> = iotEvent(spec, context()) as object;
    assert.deepEqual(event, { topic: 'sensors/sample/temperature/sample', value: 42 });
    assert.deepEqual(sample(), event);
  });

  it('sends the overrides as the message, since the SQL is not run', () => {
    const { sample } = sourceOf('iot', service([{ iot: { sql: "SELECT temp FROM 'a/b'" } }]));
    assert.deepEqual(sample({ temp: 21.5 }), { temp: 21.5 });
    assert.equal(sample('raw text'), 'raw text');
  });

  it('is invoked asynchronously, as the IoT rules engine does', () => {
    const { spec } = sourceOf('iot', service([{ iot: { sql: "SELECT * FROM 'a'" } }]));
    assert.equal(sourceInvocation(spec).type, 'Event');
  });

  describe('fleet provisioning hook', () => {
    const config = service([
      {
        iotFleetProvisioning: {
          templateName: 'SensorTemplate',
          templateBody: {},
          provisioningRoleArn: 'arn:aws:iam::123456789012:role/provisioning',
        },
      },
    ]);

    it('sends the pre-provisioning hook input with the template ARN and 64-digit certificate ids', () => {
      const { spec, context, sample } = sourceOf('iotFleetProvisioning', config);
      const event: IoTPreProvisioningHookEvent = iotPreProvisioningHookEvent(spec, context());
      assert.equal(
        event.templateArn,
        'arn:aws:iot:us-east-1:000000000000:provisioningtemplate/SensorTemplate',
      );
      assert.match(event.certificateId, /^[0-9a-f]{64}$/);
      assert.match(event.claimCertificateId, /^[0-9a-f]{64}$/);
      assert.notEqual(event.certificateId, event.claimCertificateId);
      assert.match(
        event.certificatePem,
        /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/,
      );
      assert.match(event.clientId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(Object.keys(event.parameters), ['SerialNumber']);
      assert.deepEqual(sample(), event);
    });

    it("takes the device's parameters from the overrides, as strings", () => {
      const { sample } = sourceOf('iotFleetProvisioning', config);
      const event = sample({ SerialNumber: 'SN-1', Version: 2 }) as IoTPreProvisioningHookEvent;
      assert.deepEqual(event.parameters, { SerialNumber: 'SN-1', Version: '2' });
    });

    it('names a template without templateName after its logical id', () => {
      const { sample } = sourceOf(
        'iotFleetProvisioning',
        service([
          { iotFleetProvisioning: { templateBody: {}, provisioningRoleArn: 'arn:aws:iam::1:role/r' } },
        ]),
      );
      const event = sample() as IoTPreProvisioningHookEvent;
      assert.match(event.templateArn, /:provisioningtemplate\/svc-dev-FnIotProvisioningTemplate$/);
    });

    it('is invoked synchronously: provisioning waits for the answer', () => {
      const { spec } = sourceOf('iotFleetProvisioning', config);
      assert.equal(sourceInvocation(spec).type, 'RequestResponse');
    });
  });
});
