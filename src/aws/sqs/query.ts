import { indexed, queryTree, type QueryTree } from '../query-request';
import { toXml, type XmlNode, type XmlValue } from '../xml';

/**
 * The AWS Query protocol as SQS speaks it. SQS's lists and maps are flattened: a list repeats its
 * member name (`AttributeName.1`, `AttributeName.2`), a map its entry name with `Name`/`Value` (or
 * `Key`/`Value`) members. They are read into, and written from, the shapes of the JSON protocol, so
 * one implementation of each operation serves both.
 */

export const NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Flattened list member name -> the JSON member. */
const LISTS: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
  StringListValue: 'StringListValues',
  BinaryListValue: 'BinaryListValues',
};

/** Flattened map entry name -> the JSON member and the entry's key and value names. */
const MAPS: Record<string, [string, string, string]> = {
  Attribute: ['Attributes', 'Name', 'Value'],
  MessageAttribute: ['MessageAttributes', 'Name', 'Value'],
  MessageSystemAttribute: ['MessageSystemAttributes', 'Name', 'Value'],
  Tag: ['Tags', 'Key', 'Value'],
};

function convert(node: QueryTree | string): unknown {
  if (typeof node === 'string') return node;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (LISTS[key]) {
      result[LISTS[key]] = indexed(child).map(convert);
    } else if (MAPS[key]) {
      const [member, keyName, valueName] = MAPS[key];
      const map: Record<string, unknown> = {};
      for (const entry of indexed(child)) {
        if (typeof entry === 'string' || typeof entry[keyName] !== 'string') continue;
        map[entry[keyName] as string] = convert(entry[valueName] ?? '');
      }
      result[member] = map;
    } else {
      result[key] = convert(child);
    }
  }
  return result;
}

/** The operation's input from Query parameters. CreateQueue names its tags `tags` in JSON. */
export function queryInput(action: string, params: URLSearchParams): Record<string, unknown> {
  const input = convert(queryTree(params)) as Record<string, unknown>;
  if (action === 'CreateQueue' && input.Tags !== undefined) {
    input.tags = input.Tags;
    delete input.Tags;
  }
  return input;
}

/** How a result's lists and maps repeat in XML. */
function xmlMember(action: string, key: string, value: unknown): [string, XmlValue] {
  const each = (items: unknown[], name: string) =>
    [name, items.map((item) => xmlNode(action, item))] as [string, XmlNode[]];
  const entries = (map: unknown, name: string, keyName: string, valueName: string): [string, XmlNode[]] => [
    name,
    Object.entries(map as Record<string, unknown>).map(([k, v]) => ({
      [keyName]: k,
      [valueName]: typeof v === 'object' ? xmlNode(action, v) : String(v),
    })),
  ];
  switch (key) {
    case 'QueueUrls':
    case 'queueUrls':
      return ['QueueUrl', (value as string[]).map(String) as unknown as XmlNode[]];
    case 'Messages':
      return each(value as unknown[], 'Message');
    case 'Successful':
      return each(value as unknown[], `${action}ResultEntry`);
    case 'Failed':
      return each(value as unknown[], 'BatchResultErrorEntry');
    case 'Attributes':
      return entries(value, 'Attribute', 'Name', 'Value');
    case 'MessageAttributes':
      return entries(value, 'MessageAttribute', 'Name', 'Value');
    case 'Tags':
      return entries(value, 'Tag', 'Key', 'Value');
    default:
      return [key, xmlScalarOrNode(action, value)];
  }
}

function xmlScalarOrNode(action: string, value: unknown): XmlValue {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'object' && value !== null) return xmlNode(action, value);
  return value as XmlValue;
}

function xmlNode(action: string, value: unknown): XmlNode {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, member]) => xmlMember(action, key, member)),
  );
}

/** `<{Action}Response>` with the `<{Action}Result>` (when the operation returns one) and the request id. */
export function xmlResponse(
  action: string,
  result: Record<string, unknown> | undefined,
  requestId: string,
): string {
  const body = result === undefined ? '' : toXml({ [`${action}Result`]: xmlNode(action, result) });
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${NAMESPACE}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function xmlError(code: string, message: string, sender: boolean, requestId: string): string {
  return (
    `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}">` +
    toXml({ Error: { Type: sender ? 'Sender' : 'Receiver', Code: code, Message: message, Detail: '' } }) +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
