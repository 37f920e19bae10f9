import { strict as assert } from 'node:assert';
import { buildReport, type Report } from '../../src/report/build';
import { formatMarkdown } from '../../src/report/format-markdown';
import { formatTable } from '../../src/report/format-table';
import { modelOf, type ServiceConfig } from '../helpers/service';

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const queue = (name: string, dlq: string) => ({
  Type: 'AWS::SQS::Queue',
  Properties: {
    QueueName: name,
    VisibilityTimeout: 60,
    RedrivePolicy: { deadLetterTargetArn: getAtt(dlq), maxReceiveCount: 5 },
  },
});
const dlq = (name: string) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: name } });

/** An httpApi route, an SQS consumer, an S3 upload handler and a function with no events. */
const mixed: ServiceConfig = {
  service: 'shop',
  functions: {
    api: { handler: 'api.handler', events: [{ httpApi: 'GET /users/{id}' }] },
    worker: { handler: 'worker.handler', events: [{ sqs: { arn: getAtt('Queue'), batchSize: 5 } }] },
    uploads: { handler: 'uploads.handler', events: [{ s3: 'uploads' }] },
    direct: { handler: 'direct.handler' },
  },
  resources: { Queue: queue('orders', 'Dlq'), Dlq: dlq('orders-dlq') },
};

/** The same shape with names as long as real services use, and findings whose messages wrap. */
const longNames: ServiceConfig = {
  service: 'customer-notification-service',
  functions: {
    processIncomingCustomerNotifications: {
      handler: 'src/handlers/process-incoming-customer-notifications.handler',
      reservedConcurrency: 100,
      events: [
        { httpApi: 'POST /customers/{customerId}/notifications' },
        { sqs: { arn: getAtt('IncomingQueue'), batchSize: 50, maximumBatchingWindow: 5 } },
        { s3: { bucket: 'customer-notification-attachments', rules: [{ prefix: 'incoming/' }] } },
        { sns: 'customer-notification-broadcasts' },
        { sqs: 'arn:aws:sqs:us-east-1:123456789012:customer-notification-service-priority-events-queue' },
      ],
    },
    sendCustomerNotificationDigestEmails: { handler: 'src/handlers/send-digest.handler', timeout: 30 },
  },
  resources: {
    IncomingQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: 'customer-notification-service-incoming-events', VisibilityTimeout: 20 },
    },
  },
};

const reportOf = (config: ServiceConfig): Report => buildReport(modelOf(config));

/** The lines of a function's block in the table: its header line up to the next blank line. */
function blockOf(lines: string[], name: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`${name} (`));
  assert.notEqual(start, -1, `no header line for ${name}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

/** The cells of a Markdown table row, split on the pipes that are not escaped. */
const cellsOf = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());

/** The rows of the Markdown table whose header row is `header`, without header and separator. */
function tableAfter(lines: string[], header: string): string[] {
  const start = lines.indexOf(header);
  assert.notEqual(start, -1, `no table headed ${header}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 2, end === -1 ? undefined : end);
}

describe('report formats', () => {
  describe('table', () => {
    let plain: string;
    let lines: string[];
    before(() => {
      plain = formatTable(reportOf(mixed), false);
      lines = plain.split('\n');
    });

    it('has no ANSI escape codes without color', () => {
      assert.equal(plain.includes(ESC), false);
    });

    it('has ANSI escape codes with color, and the same text once they are stripped', () => {
      const colored = formatTable(reportOf(mixed), true);
      assert.equal(colored.includes(`${ESC}[`), true);
      assert.equal(colored.replace(ANSI, ''), plain);
    });

    it('keeps every line within 80 columns', () => {
      const long = lines.filter((l) => l.length > 80);
      assert.deepEqual(long, []);
    });

    it('keeps every line within 80 columns when the names are long', () => {
      const report = reportOf(longNames);
      assert.ok(report.findings.length >= 3, 'the long service should have findings to wrap');
      const long = formatTable(report, false)
        .split('\n')
        .filter((l) => l.length > 80);
      assert.deepEqual(long, []);
    });

    it('opens with the service, stage and region', () => {
      assert.equal(lines[0], 'shop stage dev, region us-east-1');
    });

    it('lists the functions in serverless.yml order, each with its facts', () => {
      const headers = lines.filter((l) => /^\S+ \(.*\)$/.test(l));
      assert.deepEqual(headers, [
        'api (nodejs16.x, 6 s, 1024 MB)',
        'worker (nodejs16.x, 6 s, 1024 MB)',
        'uploads (nodejs16.x, 6 s, 1024 MB)',
        'direct (nodejs16.x, 6 s, 1024 MB)',
      ]);
    });

    it("groups each event and finding under its function's header", () => {
      assert.match(blockOf(lines, 'api')[1], /^ {2}httpApi +push sync +GET \/users\/\{id\}/);
      assert.match(blockOf(lines, 'worker')[1], /^ {2}sqs +pull sync +queue orders/);
      const uploads = blockOf(lines, 'uploads');
      assert.match(uploads[1], /^ {2}s3 +push async +bucket uploads/);
      assert.ok(
        uploads.some((l) => l.includes('! warning ASYNC_NO_FAILURE_DESTINATION')),
        'the finding belongs to uploads',
      );
      for (const name of ['api', 'worker', 'direct']) {
        assert.equal(
          blockOf(lines, name).some((l) => l.includes('ASYNC_NO_FAILURE_DESTINATION')),
          false,
          `no finding under ${name}`,
        );
      }
    });

    it("puts each event's retry behaviour on the line below it", () => {
      const worker = blockOf(lines, 'worker');
      assert.match(worker[2], /^ {18}↳ batch reappears after 60 s, to orders-dlq after 5 receives$/);
    });

    it('says a function with no events is invoked directly or by a source set up elsewhere', () => {
      assert.deepEqual(blockOf(lines, 'direct').slice(1), [
        '  no events in serverless.yml: invoked directly, or by a source set up elsewhere',
      ]);
    });

    it('ends with a summary of functions, sources and findings', () => {
      const summary = lines.slice(lines.indexOf('Summary'));
      assert.notEqual(lines.indexOf('Summary'), -1);
      assert.match(summary[1], /^ {2}4 functions, 3 sources:/);
      assert.equal(summary.at(-1), '  findings: 0 errors, 1 warning, 0 info');
    });
  });

  describe('markdown', () => {
    let lines: string[];
    before(() => {
      lines = formatMarkdown(reportOf(mixed)).split('\n');
    });
    const header = '| Function | Source | Model | Invocation | Resource | On error |';

    it('titles the report with the service, stage and region', () => {
      assert.equal(lines[0], '## Invocation report: shop (dev, us-east-1)');
    });

    it('has a header row followed by a separator row', () => {
      const at = lines.indexOf(header);
      assert.notEqual(at, -1);
      assert.match(lines[at + 1], /^\|( :?-{3,}:? \|){6}$/);
    });

    it('has one row per event, in order, and one for a function with no events', () => {
      const rows = tableAfter(lines, header).map(cellsOf);
      assert.deepEqual(
        rows.map((cells) => cells.slice(0, 4)),
        [
          ['api', 'httpApi', 'push', 'sync'],
          ['worker', 'sqs', 'pull', 'sync'],
          ['uploads', 's3', 'push', 'async'],
          ['direct', '(none)', '', ''],
        ],
      );
      assert.ok(
        rows.every((cells) => cells.length === 6),
        'every row has six cells',
      );
      assert.equal(rows[1][4], 'queue orders');
      assert.equal(rows[3][4], 'no events: invoked directly');
    });

    it('escapes pipes inside cells', () => {
      const md = formatMarkdown(
        reportOf({
          functions: {
            router: {
              handler: 'router.handler',
              events: [{ eventBridge: { pattern: { source: ['app|orders'] } } }],
            },
          },
        }),
      ).split('\n');
      const [row] = tableAfter(md, header);
      assert.ok(row.includes('app\\|orders'), row);
      assert.deepEqual(cellsOf(row).slice(0, 2), ['router', 'eventBridge']);
      assert.equal(cellsOf(row).length, 6);
    });

    it('lists the findings in a table', () => {
      const rows = tableAfter(lines, '| Level | Code | Function | Event | Why |').map(cellsOf);
      assert.equal(rows.length, 1);
      assert.deepEqual(rows[0].slice(0, 4), ['warning', '`ASYNC_NO_FAILURE_DESTINATION`', 'uploads', '']);
      assert.match(rows[0][4], /^async sources \(s3\)/);
    });

    it("gives an event's finding its event index", () => {
      const md = formatMarkdown(
        reportOf({
          functions: {
            worker: {
              handler: 'w.handler',
              events: [{ httpApi: 'GET /' }, { sqs: { arn: getAtt('Queue') } }],
            },
          },
          resources: { Queue: dlq('bare') },
        }),
      ).split('\n');
      const rows = tableAfter(md, '| Level | Code | Function | Event | Why |').map(cellsOf);
      assert.deepEqual(
        rows.map((cells) => cells.slice(0, 4)),
        [
          ['warning', '`SQS_VISIBILITY_TIMEOUT_LOW`', 'worker', '1'],
          ['warning', '`SQS_NO_REDRIVE_POLICY`', 'worker', '1'],
        ],
      );
    });

    it("says 'None.' under Findings when there are none", () => {
      const md = formatMarkdown(reportOf({ functions: { api: mixed.functions.api } })).split('\n');
      assert.deepEqual(md.slice(md.indexOf('### Findings')), ['### Findings', '', 'None.']);
    });
  });

  describe('json', () => {
    interface JsonReport {
      service: string;
      stage: string;
      region: string;
      functions: Array<{
        name: string;
        events: Array<{ index: number; type: string; model: string; invocation: string; resource: string }>;
      }>;
      findings: Array<Record<string, unknown>>;
      summary: { functions: number; sources: number };
    }
    const jsonOf = (config: ServiceConfig) => JSON.parse(JSON.stringify(reportOf(config))) as JsonReport;
    let json: JsonReport;
    before(() => {
      json = jsonOf(mixed);
    });

    it('names the service, stage and region', () => {
      assert.deepEqual([json.service, json.stage, json.region], ['shop', 'dev', 'us-east-1']);
    });

    it('lists the functions by name in serverless.yml order', () => {
      assert.deepEqual(
        json.functions.map((f) => f.name),
        ['api', 'worker', 'uploads', 'direct'],
      );
    });

    it('gives each event its type, model and invocation', () => {
      assert.deepEqual(
        json.functions.map((f) =>
          f.events.map(({ type, model, invocation }) => ({ type, model, invocation })),
        ),
        [
          [{ type: 'httpApi', model: 'push', invocation: 'sync' }],
          [{ type: 'sqs', model: 'pull', invocation: 'sync' }],
          [{ type: 's3', model: 'push', invocation: 'async' }],
          [],
        ],
      );
    });

    it('gives a function with no events an empty events list', () => {
      const direct = json.functions.find((f) => f.name === 'direct');
      assert.deepEqual(direct?.events, []);
    });

    it('keeps the events in serverless.yml order', () => {
      const ordered = jsonOf({
        functions: {
          many: {
            handler: 'many.handler',
            events: [
              { sqs: { arn: getAtt('Queue') } },
              { s3: 'uploads' },
              { httpApi: 'GET /' },
              { schedule: 'rate(1 hour)' },
              { http: 'POST /hooks' },
            ],
          },
        },
        resources: { Queue: queue('orders', 'Dlq'), Dlq: dlq('orders-dlq') },
      });
      assert.deepEqual(
        ordered.functions[0].events.map((e) => [e.index, e.type]),
        [
          [0, 'sqs'],
          [1, 's3'],
          [2, 'httpApi'],
          [3, 'schedule'],
          [4, 'http'],
        ],
      );
    });

    it('lists findings with level, code, function and message', () => {
      assert.equal(json.findings.length, 1);
      const [finding] = json.findings;
      assert.equal(finding.level, 'warning');
      assert.equal(finding.code, 'ASYNC_NO_FAILURE_DESTINATION');
      assert.equal(finding.function, 'uploads');
      assert.equal(typeof finding.message, 'string');
      assert.match(String(finding.message), /neither destinations\.onFailure nor onError/);
    });

    it('counts functions and sources in the summary', () => {
      assert.deepEqual([json.summary.functions, json.summary.sources], [4, 3]);
    });
  });
});
