import { evaluateJsonPath } from './json-path';
import type { EventBridgeEvent, InputTransformer, TargetSpec } from './types';

/** What a transformation may refer to beyond the event itself. */
export interface TransformContext {
  event: EventBridgeEvent;
  ruleName: string;
  ruleArn: string;
  /** When EventBridge received the event, ISO 8601. */
  ingestionTime: string;
}

/**
 * The payload a target receives (docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html):
 * the event; or `Input`, a constant JSON text; or `InputPath`, the part of the event a JSONPath names;
 * or `InputTransformer`'s template filled with the values of its `InputPathsMap`.
 */
export function targetPayload(target: TargetSpec, context: TransformContext): unknown {
  return parseOrText(targetText(target, context));
}

/** The same payload as the text a queue, topic or stream target carries as its message. */
export function targetText(target: TargetSpec, context: TransformContext): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) {
    return JSON.stringify(evaluateJsonPath(context.event, target.inputPath) ?? null);
  }
  if (target.inputTransformer !== undefined) return fillTemplate(target.inputTransformer, context);
  return JSON.stringify(context.event);
}

/** The names EventBridge defines for every template (eb-transform-target-input, "Predefined variables"). */
export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.json',
  'aws.events.event.ingestion-time',
];

/**
 * Fills an input template (eb-transform-target-input): `<name>` is replaced by its value, as JSON
 * outside string literals (a string gets its quotes, an object stays an object) and as bare text
 * inside them (a string unescaped, as EventBridge does not escape values; an object or array with
 * its quotes removed). A template that yields valid JSON is delivered as that JSON value, anything
 * else as text. A variable whose path finds nothing is not created: empty inside a string, null
 * elsewhere. `<...>` that names no variable is left as written.
 */
export function transform(transformer: InputTransformer, context: TransformContext): unknown {
  return parseOrText(fillTemplate(transformer, context));
}

/** The template's text with its variables filled, as `transform` describes. */
function fillTemplate(transformer: InputTransformer, context: TransformContext): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.inputPathsMap ?? {})) {
    const value = evaluateJsonPath(context.event, path);
    values.set(name, value);
  }
  const { detail: _detail, ...withoutDetail } = context.event;
  const predefined: Record<string, unknown> = {
    'aws.events.rule-arn': context.ruleArn,
    'aws.events.rule-name': context.ruleName,
    'aws.events.event': withoutDetail,
    'aws.events.event.json': context.event,
    'aws.events.event.ingestion-time': context.ingestionTime,
  };
  for (const [name, value] of Object.entries(predefined)) values.set(name, value);

  const template = transformer.inputTemplate;
  let output = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && inString) {
      output += char + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    const close = char === '<' ? template.indexOf('>', i + 1) : -1;
    const name = close > 0 ? template.slice(i + 1, close) : undefined;
    if (name === undefined || !values.has(name)) {
      output += char;
      continue;
    }
    output += inString ? asText(values.get(name)) : asJson(values.get(name));
    i = close;
  }
  return output;
}

function asText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value).replace(/"/g, '');
  return String(value);
}

function asJson(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
