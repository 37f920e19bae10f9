import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { gzipSync } from 'node:zlib';
import type { CloudwatchLogEvent } from '../../service/model';
import { ALPHABETS, asText, derive, type SampleContext } from './context';

/**
 * What a CloudWatch Logs subscription filter sends a function: `awslogs.data`, the base64 of the
 * gzipped JSON of the matching log events (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html). The messages are
 * `overrides` (one text, or a list) when given, else one message the filter pattern accepts.
 */
export function cloudwatchLogEvent(spec: CloudwatchLogEvent, context: SampleContext): CloudWatchLogsEvent {
  const decoded = cloudwatchLogData(spec, context);
  return { awslogs: { data: gzipSync(JSON.stringify(decoded)).toString('base64') } };
}

/** The decoded document: `DATA_MESSAGE`, the log group and stream, the filter's name, the events. */
export function cloudwatchLogData(
  spec: CloudwatchLogEvent,
  context: SampleContext,
): CloudWatchLogsDecodedData {
  const { service, now, newId, overrides } = context;
  const messages =
    overrides === undefined
      ? [messageMatching(spec.filter)]
      : (Array.isArray(overrides) ? overrides : [overrides]).map(asText);
  return {
    messageType: 'DATA_MESSAGE',
    owner: service.accountId,
    logGroup: spec.logGroup,
    logStream: logStream(spec.logGroup, now, newId()),
    subscriptionFilters: [subscriptionFilterName(context, spec)],
    logEvents: messages.map((message) => ({
      id: derive(newId(), 56, ALPHABETS.digits),
      timestamp: now.getTime(),
      message,
    })),
  };
}

/** A Lambda function's stream (`2024/01/31/[$LATEST]<32 hex>`) for Lambda's log groups, else an id. */
function logStream(logGroup: string, now: Date, seed: string): string {
  const id = derive(seed, 32, ALPHABETS.hex);
  if (!logGroup.startsWith('/aws/lambda/')) return id;
  const date = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${date}/[$LATEST]${id}`;
}

/**
 * The framework creates the filter without a name, so CloudFormation names it
 * `<stack>-<Function>LogsSubscriptionFilterCloudWatchLog<n>-<random>` (naming.js
 * getCloudWatchLogLogicalId, n counting the function's cloudwatchLog events from 1); here without the
 * random suffix.
 */
function subscriptionFilterName({ service, fn }: SampleContext, spec: CloudwatchLogEvent): string {
  const n = fn.events.filter((e) => e.type === 'cloudwatchLog' && e.index <= spec.index).length || 1;
  const normalized = fn.key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  const logicalId = `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LogsSubscriptionFilterCloudWatchLog${n}`;
  return `${service.service}-${service.stage}-${logicalId}`;
}

const DEFAULT_MESSAGE = 'sample log message';

/**
 * A log message the filter pattern accepts, as far as its literal parts go
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html): JSON
 * patterns (`{ $.level = "ERROR" && $.latency > 100 }`) give a JSON message with those values,
 * space-delimited ones (`[ip, user, status = 404]`) a line of fields, term patterns (`ERROR`,
 * `"Access denied"`, `?ERROR ?WARN`, `-DEBUG`) a line holding the required terms.
 */
export function messageMatching(filter: string): string {
  const pattern = filter.trim();
  if (pattern === '') return DEFAULT_MESSAGE;
  if (pattern.startsWith('{')) return JSON.stringify(jsonMessage(pattern));
  if (pattern.startsWith('[')) return delimitedMessage(pattern);
  return termMessage(pattern);
}

const COMPARISON =
  /\$\.([\w.[\]]+)\s*(!=|>=|<=|=|>|<)\s*("(?:[^"\\]|\\.)*"|[^\s&|)}]+)|\$\.([\w.[\]]+)\s+IS\s+(TRUE|FALSE|NULL)/gi;

function jsonMessage(pattern: string): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const match of pattern.matchAll(COMPARISON)) {
    if (match[4] !== undefined) {
      const word = match[5].toUpperCase();
      setPath(message, match[4], word === 'NULL' ? null : word === 'TRUE');
      continue;
    }
    setPath(message, match[1], satisfying(match[2], match[3]));
  }
  return Object.keys(message).length > 0 ? message : { message: DEFAULT_MESSAGE };
}

function delimitedMessage(pattern: string): string {
  const fields = pattern.slice(1, pattern.lastIndexOf(']')).split(',');
  return fields
    .map((field) => {
      const condition = /^\s*[\w.]+\s*(!=|>=|<=|=|>|<)\s*(.+?)\s*$/.exec(field);
      if (!condition) return field.trim() === '...' ? '' : '-';
      const value = satisfying(condition[1], condition[2]);
      return typeof value === 'string' && value.includes(' ') ? `"${value}"` : String(value);
    })
    .filter((part) => part !== '')
    .join(' ');
}

function termMessage(pattern: string): string {
  const terms = [...pattern.matchAll(/([?-]?)("(?:[^"\\]|\\.)*"|\S+)/g)];
  const required = terms.filter(([, sign]) => sign === '').map(([, , term]) => unquote(term));
  const optional = terms.filter(([, sign]) => sign === '?').map(([, , term]) => unquote(term));
  const words = required.length > 0 ? required : optional.slice(0, 1);
  return [...words, DEFAULT_MESSAGE].join(' ');
}

/** A value for which `<field> <operator> <operand>` holds. */
function satisfying(operator: string, operand: string): unknown {
  const text = operand.startsWith('"') ? unquote(operand) : undefined;
  const number = Number(operand);
  if (text === undefined && !Number.isNaN(number)) {
    if (operator === '>') return number + 1;
    if (operator === '<') return number - 1;
    if (operator === '!=') return number + 1;
    return number;
  }
  const value = (text ?? operand).replace(/\*/g, 'sample');
  return operator === '!=' ? `not-${value}` : value;
}

function unquote(term: string): string {
  return term.startsWith('"') && term.endsWith('"') && term.length >= 2
    ? term.slice(1, -1).replace(/\\(.)/g, '$1')
    : term;
}

/** Sets `a.b.c` in `target`, creating the objects on the way (array indexes are treated as keys). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node = target;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    node[key] = next !== null && typeof next === 'object' ? next : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]] = value;
}
