import type {
  CloudFrontEvent,
  CloudFrontHeaders,
  CloudFrontRequest,
  CloudFrontRequestEvent,
  CloudFrontResponseEvent,
} from 'aws-lambda';
import type { NamedSourceEvent } from '../../service/model';
import { ALPHABETS, CLIENT_IP, derive, deriveBytes, type SampleContext } from './context';

type EventType = CloudFrontEvent['config']['eventType'];
const EVENT_TYPES: readonly EventType[] = [
  'viewer-request',
  'origin-request',
  'origin-response',
  'viewer-response',
];

/** The event type and path pattern of a `cloudFront` event (its `source` is `<eventType> <pathPattern>`). */
export function cloudFrontSettings(spec: NamedSourceEvent): { eventType: EventType; pathPattern: string } {
  const [type, pathPattern = '*'] = spec.source.split(' ');
  const eventType = EVENT_TYPES.find((t) => t === type) ?? 'viewer-request';
  return { eventType, pathPattern };
}

/** A path the cache behavior's pattern (`*`, `/images/*.jpg`, `/api/?`) routes to this function. */
export function uriFor(pathPattern: string): string {
  if (pathPattern === '*' || pathPattern === '/*' || pathPattern === '') return '/';
  const path = pathPattern.replace(/\*/g, 'sample').replace(/\?/g, 'x');
  return path.startsWith('/') ? path : `/${path}`;
}

const header = (key: string, value: string) => [{ key, value }];

/**
 * The Lambda@Edge event of the `cloudFront` event's type
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html):
 * one record with `config` (the distribution, the event type, a 56-character request id) and the
 * viewer's GET request for a path the behavior's pattern routes here; origin events carry the
 * headers CloudFront adds and the origin, response events the response (200) as well.
 */
export function cloudFrontEvent(
  spec: NamedSourceEvent,
  context: SampleContext,
): CloudFrontRequestEvent | CloudFrontResponseEvent {
  const { eventType, pathPattern } = cloudFrontSettings(spec);
  const { service, newId, now } = context;
  const seed = `${service.service}:${service.stage}`;
  const distributionDomainName = `d${derive(`domain:${seed}`, 13, ALPHABETS.lower)}.cloudfront.net`;
  const config = {
    distributionDomainName,
    distributionId: `E${derive(`distribution:${seed}`, 13, ALPHABETS.upper)}`,
    eventType,
    requestId: deriveBytes(newId(), 40).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  };
  const toOrigin = eventType.startsWith('origin');
  const headers: CloudFrontHeaders = toOrigin
    ? {
        'x-forwarded-for': header('X-Forwarded-For', CLIENT_IP),
        'user-agent': header('User-Agent', 'Amazon CloudFront'),
        via: header('Via', `2.0 ${derive(newId(), 32, ALPHABETS.hex)}.cloudfront.net (CloudFront)`),
        host: header('Host', 'example.org'),
        'accept-encoding': header('Accept-Encoding', 'br,gzip'),
      }
    : {
        host: header('Host', distributionDomainName),
        'user-agent': header('User-Agent', 'curl/8.5.0'),
        accept: header('accept', '*/*'),
      };
  const request: CloudFrontRequest = {
    clientIp: CLIENT_IP,
    headers,
    method: 'GET',
    querystring: '',
    uri: uriFor(pathPattern),
  };
  if (toOrigin) {
    request.origin = {
      custom: {
        customHeaders: {},
        domainName: 'example.org',
        keepaliveTimeout: 5,
        path: '',
        port: 443,
        protocol: 'https',
        readTimeout: 30,
        sslProtocols: ['TLSv1.2'],
      },
    };
  }
  if (eventType === 'viewer-request' || eventType === 'origin-request') {
    return { Records: [{ cf: { config, request } }] };
  }
  const date = now.toUTCString();
  const response = {
    status: '200',
    statusDescription: 'OK',
    headers: {
      'content-type': header('Content-Type', 'text/html; charset=utf-8'),
      'content-length': header('Content-Length', '1024'),
      date: header('Date', date),
      ...(eventType === 'viewer-response'
        ? {
            'x-cache': header('X-Cache', 'Miss from cloudfront'),
            via: header('Via', `1.1 ${derive(newId(), 32, ALPHABETS.hex)}.cloudfront.net (CloudFront)`),
          }
        : { server: header('Server', 'nginx') }),
    },
  };
  return { Records: [{ cf: { config, request, response } }] };
}
