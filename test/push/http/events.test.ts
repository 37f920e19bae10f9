import { strict as assert } from 'node:assert';
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { eventBody } from '../../../src/push/http/binary';
import { albEvent } from '../../../src/push/http/events-alb';
import { lambdaIntegrationEvent } from '../../../src/push/http/events-lambda';
import { v1Event } from '../../../src/push/http/events-v1';
import { functionUrlEvent, v2Event } from '../../../src/push/http/events-v2';
import { requestTime, requestTimeFormatter } from '../../../src/push/http/ids';
import { incoming } from './requests';

/** 2020-03-12T19:03:58.000Z, the time of AWS's payload 2.0 example. */
const NOW = Date.UTC(2020, 2, 12, 19, 3, 58);
const TIME = requestTime(NOW);

describe('push/http events', () => {
  it('formats the request time as API Gateway does', () => {
    assert.equal(requestTime(NOW), '12/Mar/2020:19:03:58 +0000');
    assert.equal(requestTime(Date.UTC(2021, 8, 7, 2, 5, 9)), '07/Sep/2021:02:05:09 +0000');
  });

  it('formats each second once and follows the clock', () => {
    const format = requestTimeFormatter();
    assert.equal(format(NOW), '12/Mar/2020:19:03:58 +0000');
    assert.equal(format(NOW + 999), '12/Mar/2020:19:03:58 +0000');
    assert.equal(format(NOW + 1000), '12/Mar/2020:19:03:59 +0000');
  });

  describe('REST API proxy event (payload 1.0)', () => {
    // The request of AWS's example in "Input format of a Lambda function for proxy integration".
    const request = incoming(
      'POST',
      '/testStage/hello/world?name=me&multivalueName=you&multivalueName=me',
      [
        ['Content-Type', 'application/json'],
        ['headerName', 'headerValue'],
        ['User-Agent', 'PostmanRuntime/2.4.5'],
        ['Accept', 'text/plain'],
        ['Accept', 'application/json'],
      ],
      '{\r\n\t"a": 1\r\n}',
    );
    const event = v1Event({
      request: { ...request, path: '/hello/world' },
      body: eventBody(request.body, false),
      resource: '/{proxy+}',
      path: '/hello/world',
      pathParameters: { proxy: 'hello/world' },
      stagePath: '/testStage',
      stage: 'testStage',
      apiId: 'gy415nuibc',
      domainName: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
      resourceId: 'roq9wj',
      accountId: '12345678912',
      requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
      extendedRequestId: 'deef4878791011=',
      nowMs: NOW,
      time: TIME,
    });

    it('has the shape of the documented example, with the identity of the captured ones', () => {
      const expected: Omit<APIGatewayProxyEvent, 'requestContext'> & { requestContext: object } = {
        resource: '/{proxy+}',
        path: '/hello/world',
        httpMethod: 'POST',
        headers: {
          'Content-Type': 'application/json',
          headerName: 'headerValue',
          'User-Agent': 'PostmanRuntime/2.4.5',
          Accept: 'application/json',
        },
        multiValueHeaders: {
          'Content-Type': ['application/json'],
          headerName: ['headerValue'],
          'User-Agent': ['PostmanRuntime/2.4.5'],
          Accept: ['text/plain', 'application/json'],
        },
        queryStringParameters: { name: 'me', multivalueName: 'me' },
        multiValueQueryStringParameters: { name: ['me'], multivalueName: ['you', 'me'] },
        pathParameters: { proxy: 'hello/world' },
        stageVariables: null,
        requestContext: {
          accountId: '12345678912',
          apiId: 'gy415nuibc',
          authorizer: undefined,
          domainName: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
          domainPrefix: 'gy415nuibc',
          extendedRequestId: 'deef4878791011=',
          httpMethod: 'POST',
          // As AWS's captured events have it (test/fixtures/golden-events): no apiKey, apiKeyId or
          // clientCert without an API key or mutual TLS.
          identity: {
            accessKey: null,
            accountId: null,
            caller: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityId: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            sourceIp: '203.0.113.7',
            user: null,
            userAgent: 'PostmanRuntime/2.4.5',
            userArn: null,
          },
          path: '/testStage/hello/world',
          protocol: 'HTTP/1.1',
          requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
          requestTime: '12/Mar/2020:19:03:58 +0000',
          requestTimeEpoch: NOW,
          resourceId: 'roq9wj',
          resourcePath: '/{proxy+}',
          stage: 'testStage',
        },
        body: '{\r\n\t"a": 1\r\n}',
        isBase64Encoded: false,
      };
      assert.deepEqual(event, expected);
    });

    it('carries no version on a REST API event', () => {
      assert.equal('version' in event, false);
    });

    it('sets the query maps, path parameters and body to null when there are none', () => {
      const bare = v1Event({
        request: incoming('GET', '/users'),
        body: eventBody(Buffer.alloc(0), false),
        resource: '/users',
        path: '/users',
        pathParameters: null,
        stagePath: '/dev',
        stage: 'dev',
        apiId: 'a',
        domainName: 'a.execute-api.us-east-1.amazonaws.com',
        resourceId: 'r',
        accountId: '1',
        requestId: 'id',
        extendedRequestId: 'x',
        nowMs: NOW,
        time: TIME,
      });
      assert.equal(bare.queryStringParameters, null);
      assert.equal(bare.multiValueQueryStringParameters, null);
      assert.equal(bare.pathParameters, null);
      assert.equal(bare.body, null);
      assert.equal(bare.requestContext.identity.userAgent, null);
    });

    it('is the HTTP API payload 1.0 event with version 1.0, stage $default and a null resourceId', () => {
      const httpApi = v1Event({
        request: incoming('GET', '/my/path?parameter1=value1&parameter1=value2&parameter2=value'),
        body: eventBody(Buffer.from('Hello from Lambda!'), false),
        resource: '/my/path',
        path: '/my/path',
        pathParameters: null,
        stagePath: '',
        stage: '$default',
        apiId: 'id',
        domainName: 'id.execute-api.us-east-1.amazonaws.com',
        resourceId: null,
        accountId: '123456789012',
        requestId: 'id=',
        extendedRequestId: 'request-id',
        nowMs: NOW,
        time: TIME,
        version: '1.0',
      });
      assert.equal(httpApi.version, '1.0');
      assert.equal(httpApi.requestContext.stage, '$default');
      assert.equal(httpApi.requestContext.path, '/my/path');
      assert.equal(httpApi.requestContext.resourceId, null);
      assert.deepEqual(httpApi.multiValueQueryStringParameters, {
        parameter1: ['value1', 'value2'],
        parameter2: ['value'],
      });
      assert.deepEqual(httpApi.queryStringParameters, { parameter1: 'value2', parameter2: 'value' });
    });
  });

  describe('HTTP API event (payload 2.0)', () => {
    // The request behind AWS's payload 2.0 example.
    const request = incoming(
      'POST',
      '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
      [
        ['Header1', 'value1'],
        ['Header2', 'value1'],
        ['Header2', 'value2'],
        ['Cookie', 'cookie1; cookie2'],
        ['User-Agent', 'agent'],
      ],
      'Hello from Lambda',
    );

    it('has the shape of the documented example', () => {
      const event = v2Event({
        request,
        body: eventBody(request.body, false),
        routeKey: '$default',
        rawPath: '/my/path',
        pathParameters: { parameter1: 'value1' },
        apiId: 'api-id',
        domainName: 'id.execute-api.us-east-1.amazonaws.com',
        accountId: '123456789012',
        requestId: 'id',
        nowMs: NOW,
        time: TIME,
      });
      const expected: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/my/path',
        rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
        cookies: ['cookie1', 'cookie2'],
        headers: { header1: 'value1', header2: 'value1,value2', 'user-agent': 'agent' },
        queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
        requestContext: {
          accountId: '123456789012',
          apiId: 'api-id',
          domainName: 'id.execute-api.us-east-1.amazonaws.com',
          domainPrefix: 'id',
          http: {
            method: 'POST',
            path: '/my/path',
            protocol: 'HTTP/1.1',
            sourceIp: '203.0.113.7',
            userAgent: 'agent',
          },
          requestId: 'id',
          routeKey: '$default',
          stage: '$default',
          time: '12/Mar/2020:19:03:58 +0000',
          timeEpoch: NOW,
        },
        body: 'Hello from Lambda',
        pathParameters: { parameter1: 'value1' },
        isBase64Encoded: false,
      };
      assert.deepEqual(event, expected);
    });

    it('leaves out cookies, query parameters, path parameters and body when there are none', () => {
      const event = v2Event({
        request: incoming('GET', '/'),
        body: eventBody(Buffer.alloc(0), false),
        routeKey: 'GET /',
        rawPath: '/',
        pathParameters: null,
        apiId: 'a',
        domainName: 'a.execute-api.us-east-1.amazonaws.com',
        accountId: '1',
        requestId: 'r',
        nowMs: NOW,
        time: TIME,
      });
      for (const key of ['cookies', 'queryStringParameters', 'pathParameters', 'body']) {
        assert.equal(key in event, false, key);
      }
      assert.equal(event.requestContext.http.userAgent, '');
    });

    it('is the function URL event with routeKey and stage $default', () => {
      const event = functionUrlEvent({
        request: incoming(
          'POST',
          '/my/path?message=HelloWorld',
          [['content-type', 'application/json']],
          '{}',
        ),
        body: eventBody(Buffer.from('{}'), false),
        rawPath: '/my/path',
        apiId: 'abcdefg',
        domainName: 'abcdefg.lambda-url.us-west-2.on.aws',
        accountId: '123456789012',
        requestId: 'e1506fd5-9e7b-434f-bd42-4f8fa224b599',
        nowMs: NOW,
        time: TIME,
      });
      const expected: LambdaFunctionURLEvent = {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/my/path',
        rawQueryString: 'message=HelloWorld',
        headers: { 'content-type': 'application/json' },
        queryStringParameters: { message: 'HelloWorld' },
        requestContext: {
          accountId: '123456789012',
          apiId: 'abcdefg',
          domainName: 'abcdefg.lambda-url.us-west-2.on.aws',
          domainPrefix: 'abcdefg',
          http: {
            method: 'POST',
            path: '/my/path',
            protocol: 'HTTP/1.1',
            sourceIp: '203.0.113.7',
            userAgent: '',
          },
          requestId: 'e1506fd5-9e7b-434f-bd42-4f8fa224b599',
          routeKey: '$default',
          stage: '$default',
          time: '12/Mar/2020:19:03:58 +0000',
          timeEpoch: NOW,
        },
        body: '{}',
        isBase64Encoded: false,
      };
      assert.deepEqual(event, expected);
    });
  });

  describe('ALB event', () => {
    // The request of AWS's example in "Process Application Load Balancer requests with Lambda".
    const request = incoming('GET', '/lambda?query=1234ABCD&q=a%20b&q=c', [
      ['accept', 'text/html'],
      ['Host', 'lambda-alb-123578498.us-east-1.elb.amazonaws.com'],
      ['X-Multi', 'one'],
      ['X-Multi', 'two'],
    ]);
    const targetGroupArn =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a';

    it('has the documented single-value shape, query strings undecoded, last value winning', () => {
      const expected: ALBEvent = {
        requestContext: { elb: { targetGroupArn } },
        httpMethod: 'GET',
        path: '/lambda',
        queryStringParameters: { query: '1234ABCD', q: 'c' },
        headers: {
          accept: 'text/html',
          host: 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
          'x-multi': 'two',
        },
        body: '',
        isBase64Encoded: false,
      };
      const event = albEvent({
        request,
        body: eventBody(request.body, false),
        targetGroupArn,
        multiValueHeaders: false,
      });
      assert.deepEqual(event, expected);
    });

    it('has only the multi-value maps when the target group enables them', () => {
      const event = albEvent({
        request,
        body: eventBody(request.body, false),
        targetGroupArn,
        multiValueHeaders: true,
      });
      assert.equal('headers' in event, false);
      assert.equal('queryStringParameters' in event, false);
      assert.deepEqual(event.multiValueQueryStringParameters, { query: ['1234ABCD'], q: ['a%20b', 'c'] });
      assert.deepEqual(event.multiValueHeaders?.['x-multi'], ['one', 'two']);
    });
  });

  describe('non-proxy (integration: lambda) event', () => {
    const input = (request: ReturnType<typeof incoming>) => ({
      request,
      stage: 'dev',
      resourcePath: '/users/{id}',
      pathParameters: { id: '7' },
    });

    it('renders the default JSON template', () => {
      const result = lambdaIntegrationEvent(
        input(
          incoming(
            'POST',
            '/dev/users/7?sort=asc',
            [
              ['Content-Type', 'application/json'],
              ['User-Agent', 'ua'],
            ],
            '{"a":1}',
          ),
        ),
      );
      assert.ok(result.ok);
      assert.deepEqual(result.event, {
        body: { a: 1 },
        method: 'POST',
        principalId: '',
        stage: 'dev',
        cognitoPoolClaims: { sub: '' },
        enhancedAuthContext: {},
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'ua' },
        query: { sort: 'asc' },
        path: { id: '7' },
        identity: {
          cognitoIdentityPoolId: '',
          accountId: '',
          cognitoIdentityId: '',
          caller: '',
          sourceIp: '203.0.113.7',
          principalOrgId: '',
          accessKey: '',
          cognitoAuthenticationType: '',
          cognitoAuthenticationProvider: '',
          userArn: '',
          userAgent: 'ua',
          user: '',
        },
        stageVariables: {},
        requestPath: '/users/{id}',
      });
    });

    it('treats a request without Content-Type as JSON and an empty body as {}', () => {
      const result = lambdaIntegrationEvent(input(incoming('GET', '/dev/users/7')));
      assert.ok(result.ok);
      assert.deepEqual(result.event.body, {});
    });

    it('renders the form template for a form post', () => {
      const result = lambdaIntegrationEvent(
        input(
          incoming(
            'POST',
            '/x',
            [['content-type', 'application/x-www-form-urlencoded']],
            'a=1&b=x%20y+z&c&a=2',
          ),
        ),
      );
      assert.ok(result.ok);
      assert.deepEqual(result.event.body, { a: '2', b: 'x y z', c: '' });
    });

    it('refuses other media types with 415 and a body that is not JSON with 400', () => {
      const xml = lambdaIntegrationEvent(
        input(incoming('POST', '/x', [['content-type', 'text/xml']], '<a/>')),
      );
      assert.deepEqual(xml, { ok: false, statusCode: 415, message: 'Unsupported Media Type' });
      const broken = lambdaIntegrationEvent(input(incoming('POST', '/x', [], '{nope')));
      assert.ok(!broken.ok && broken.statusCode === 400);
      assert.match(broken.message, /^Could not parse request body into json: /);
    });
  });
});
