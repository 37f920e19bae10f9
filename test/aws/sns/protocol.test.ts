import { strict as assert } from 'node:assert';
import type { AwsRequest } from '../../../src/aws/endpoint';
import { isSnsRequest } from '../../../src/aws/sns/protocol';
import { queryInput, xmlError, xmlResponse } from '../../../src/aws/sns/query';

function request(body: string, headers: Record<string, string> = {}, path = '/'): AwsRequest {
  return {
    method: 'POST',
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: Buffer.from(body),
  };
}

const scope = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});

describe('aws/sns Query parameters and responses', () => {
  it('reads message attributes, maps, lists and batch entries into the JSON protocol shape', () => {
    const params = new URLSearchParams([
      ['Action', 'PublishBatch'],
      ['Version', '2010-03-31'],
      ['TopicArn', 'arn:aws:sns:us-east-1:123456789012:orders'],
      ['PublishBatchRequestEntries.member.2.Id', 'second'],
      ['PublishBatchRequestEntries.member.2.Message', 'two'],
      ['PublishBatchRequestEntries.member.1.Id', 'first'],
      ['PublishBatchRequestEntries.member.1.Message', 'one'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name', 'kind'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType', 'String'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue', 'order'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Name', 'blob'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.DataType', 'Binary'],
      ['PublishBatchRequestEntries.member.1.MessageAttributes.entry.2.Value.BinaryValue', 'aGk='],
    ]);
    assert.deepEqual(queryInput(params), {
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
      PublishBatchRequestEntries: [
        {
          Id: 'first',
          Message: 'one',
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'order' },
            blob: { DataType: 'Binary', BinaryValue: 'aGk=' },
          },
        },
        { Id: 'second', Message: 'two' },
      ],
    });
  });

  it('reads attribute maps by key and value, tag lists by member, and orders entries numerically', () => {
    const params = new URLSearchParams([
      ['Name', 't'],
      ['Attributes.entry.10.key', 'DisplayName'],
      ['Attributes.entry.10.value', 'ten'],
      ['Attributes.entry.2.key', 'FifoTopic'],
      ['Attributes.entry.2.value', 'true'],
      ['Tags.member.1.Key', 'team'],
      ['Tags.member.1.Value', 'core'],
    ]);
    const input = queryInput(params);
    assert.deepEqual(input, {
      Name: 't',
      Attributes: { FifoTopic: 'true', DisplayName: 'ten' },
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    assert.deepEqual(Object.keys(input.Attributes as object), ['FifoTopic', 'DisplayName']);
  });

  it('writes results with lists as members, attribute maps as entries, and escapes text', () => {
    const xml = xmlResponse(
      'GetTopicAttributes',
      { Attributes: { DisplayName: 'a<b>&"c"' }, Topics: [], Subscriptions: [{ Protocol: 'sqs' }] },
      'req-1',
    );
    assert.equal(
      xml,
      '<GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetTopicAttributesResult>' +
        '<Attributes><entry><key>DisplayName</key><value>a&lt;b&gt;&amp;&quot;c&quot;</value></entry></Attributes>' +
        '<Topics/><Subscriptions><member><Protocol>sqs</Protocol></member></Subscriptions>' +
        '</GetTopicAttributesResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>' +
        '</GetTopicAttributesResponse>',
    );
    assert.equal(
      xmlResponse('DeleteTopic', undefined, 'r'),
      '<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ResponseMetadata>' +
        '<RequestId>r</RequestId></ResponseMetadata></DeleteTopicResponse>',
    );
  });

  it('writes errors as the Query protocol does, with the fault side', () => {
    assert.equal(
      xmlError('NotFound', 'Topic does not exist', true, 'r'),
      '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
        '<Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    );
    assert.match(xmlError('InternalError', 'x', false, 'r'), /<Type>Receiver<\/Type>/);
  });
});

describe('aws/sns recognising its requests on the shared endpoint', () => {
  it('claims Query requests signed for sns and leaves those signed for sqs to SQS', () => {
    assert.equal(isSnsRequest(request('Action=Publish&Version=2010-03-31', scope('sns'))), true);
    assert.equal(isSnsRequest(request('Action=TagResource&Version=2010-03-31', scope('sns'))), true);
    assert.equal(isSnsRequest(request('Action=TagResource&Version=2012-11-05', scope('sqs'))), false);
    assert.equal(isSnsRequest(request('Action=Publish', scope('sqs'))), false);
  });

  it('falls back to the API version, then to actions only SNS has, for unsigned requests', () => {
    assert.equal(isSnsRequest(request('Action=TagResource&Version=2010-03-31')), true);
    assert.equal(isSnsRequest(request('Action=TagResource&Version=2012-11-05')), false);
    assert.equal(isSnsRequest(request('Action=CreateTopic')), true);
    assert.equal(isSnsRequest(request('Action=SendMessage')), false);
    assert.equal(isSnsRequest(request('Version=2010-03-31')), false);
  });

  it('claims JSON 1.0 requests by their target only, and nothing off the root path', () => {
    const json = (target: string) => ({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
    });
    assert.equal(isSnsRequest(request('{}', json('SNS_20100331.Publish'))), true);
    assert.equal(isSnsRequest(request('{}', json('AmazonSQS.SendMessage'))), false);
    assert.equal(isSnsRequest(request('{}', json('AWSEvents.PutEvents'))), false);
    assert.equal(
      isSnsRequest(request('Action=Publish', scope('sns'), '/2015-03-31/functions/f/invocations')),
      false,
    );
  });

  it('reads the action of a GET request from the query string', () => {
    const get: AwsRequest = {
      method: 'GET',
      path: '/',
      query: new URLSearchParams('Action=ListTopics&Version=2010-03-31'),
      headers: {},
      body: Buffer.alloc(0),
    };
    assert.equal(isSnsRequest(get), true);
  });
});
