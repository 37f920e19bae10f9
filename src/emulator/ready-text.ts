import { isoSeconds } from '../clock';
import { plural } from '../plural';
import { buildReport } from '../report/build';
import type { ServiceModel } from '../service/model';
import type { CreatedResources } from './created-resources';
import type { Endpoints } from './emulator';

/** What `sls emulate` prints once every port is open. */
export function readyText(model: ServiceModel, endpoints: Endpoints): string {
  const { summary } = buildReport(model);
  const classes = Object.entries(summary.byClass)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `serverless-emulate: ${model.service} (stage ${model.stage}, region ${model.region})`,
    `  ${plural(summary.functions, 'function')}, ${plural(summary.sources, 'source')}: ${classes || 'none'}`,
    ...(endpoints.http
      ? [
          `HTTP: ${endpoints.http.url}`,
          ...endpoints.http.routes.map(
            (r) =>
              `  ${r.method.padEnd(7)} ${r.url}  → ${r.function}${r.authorizer ? `  [${r.authorizer}]` : ''}`,
          ),
        ]
      : []),
    ...(endpoints.websocket
      ? [
          `WebSocket: ${endpoints.websocket.url}`,
          `  routes: ${endpoints.websocket.routes.join(', ')}; @connections API: ${endpoints.websocket.url.replace(/^ws/, 'http')}/@connections/{connectionId}`,
        ]
      : []),
    `AWS endpoint: ${endpoints.aws}`,
    '  Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations; handlers get AWS_ENDPOINT_URL set to it',
    ...resourceLines(endpoints.resources),
    ...(endpoints.schedules.length
      ? [
          'Schedules:',
          ...endpoints.schedules.map(
            (s) =>
              `  ${s.function}: ${s.expression}, ${s.next ? `next ${isoSeconds(s.next)}` : 'fires no more'}`,
          ),
        ]
      : []),
    ...(endpoints.mappings.length
      ? ['Event source mappings:', ...endpoints.mappings.map((m) => `  ${m}`)]
      : []),
    `Live view: ${endpoints.liveView} (topology, journeys, state, actions)`,
    'Ready. Ctrl-C to stop.',
  ].join('\n');
}

/** One line per kind of resource (queues: one per queue, with its URL); none for a kind the service lacks. */
function resourceLines(resources: CreatedResources): string[] {
  const line = (label: string, names: string[]) => (names.length ? [`  ${label}: ${names.join(', ')}`] : []);
  return [
    ...line(
      'DynamoDB tables',
      resources.tables.map((t) => (t.streamViewType ? `${t.name} (stream ${t.streamViewType})` : t.name)),
    ),
    ...(resources.queues.length ? ['  SQS queues:', ...resources.queues.map((q) => `    ${q.url}`)] : []),
    ...line('SNS topics', resources.topics),
    ...line('S3 buckets', resources.buckets),
    ...line('Kinesis streams', resources.streams),
    ...line('EventBridge buses', resources.buses),
  ];
}
