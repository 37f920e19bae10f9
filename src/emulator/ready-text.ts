import { buildReport } from '../report/build';
import type { ServiceModel } from '../service/model';
import type { Endpoints } from './emulator';

/** What `sls emulate` prints once every port is open. */
export function readyText(model: ServiceModel, endpoints: Endpoints): string {
  const { summary } = buildReport(model);
  const classes = Object.entries(summary.byClass)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `serverless-emulate: ${model.service} (stage ${model.stage}, region ${model.region})`,
    `  ${summary.functions} functions, ${summary.sources} sources: ${classes || 'none'}`,
    ...(endpoints.http
      ? [
          `HTTP: ${endpoints.http.url}`,
          ...endpoints.http.routes.map((r) => `  ${r.method.padEnd(7)} ${r.url}  → ${r.function}`),
        ]
      : []),
    ...(endpoints.websocket
      ? [
          `WebSocket: ${endpoints.websocket.url}`,
          `  routes: ${endpoints.websocket.routes.join(', ')}; @connections API: ${endpoints.websocket.url.replace(/^ws/, 'http')}/@connections/{connectionId}`,
        ]
      : []),
    ...(endpoints.schedules.length ? ['Schedules:', ...endpoints.schedules.map((s) => `  ${s}`)] : []),
    ...(endpoints.mappings.length
      ? ['Event source mappings:', ...endpoints.mappings.map((m) => `  ${m}`)]
      : []),
    `AWS endpoint: ${endpoints.aws}`,
    '  Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations; handlers get AWS_ENDPOINT_URL set to it',
    'Ready. Ctrl-C to stop.',
  ].join('\n');
}
