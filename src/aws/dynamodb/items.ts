import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** An attribute value as AWS JSON carries it (`{"S": "x"}`, `{"B": "<base64>"}`, ...). */
export type WireValue = Record<string, unknown>;
export type Item = Record<string, WireValue>;

export interface KeyElement {
  AttributeName: string;
  KeyType: string;
}

/** The key attributes of an item, in the key schema's order. */
export function keyOf(item: Item, keySchema: KeyElement[]): Item {
  return Object.fromEntries(keySchema.map(({ AttributeName }) => [AttributeName, item[AttributeName]]));
}

/** Whether two items hold the same data: attribute order and set element order do not count. */
export function sameItem(a: Item | undefined, b: Item | undefined): boolean {
  if (!a || !b) return a === b;
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries
      .map(([key, v]) => {
        const set = ['SS', 'NS', 'BS'].includes(key) && Array.isArray(v);
        return `${JSON.stringify(key)}:${set ? canonical([...(v as string[])].sort()) : canonical(v)}`;
      })
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An item's size by DynamoDB's rules (names plus values; numbers about one byte per two digits). */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + byteLength(name) + valueSize(value), 0);
}

function valueSize(value: WireValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return byteLength(v as string);
    case 'N':
      return numberSize(v as string);
    case 'B':
      return Buffer.byteLength(v as string, 'base64');
    case 'SS':
      return (v as string[]).reduce((sum, s) => sum + byteLength(s), 0);
    case 'NS':
      return (v as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (v as string[]).reduce((sum, b) => sum + Buffer.byteLength(b, 'base64'), 0);
    case 'M':
      return 3 + itemSize(v as Item) + Object.keys(v as Item).length;
    case 'L':
      return 3 + (v as WireValue[]).reduce((sum, e) => sum + valueSize(e) + 1, 0);
    default:
      return 1;
  }
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
const numberSize = (n: string) => Math.ceil(n.replace(/[^0-9]/g, '').replace(/^0+/, '').length / 2) + 1;

/** An item in the AWS SDK's shape: binary values as bytes rather than base64. */
export function toSdkItem(item: Item): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toSdkValue(value)]));
}

function toSdkValue(value: WireValue): AttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (value.M !== undefined) return { M: toSdkItem(value.M as Item) };
  if (Array.isArray(value.L)) return { L: (value.L as WireValue[]).map(toSdkValue) };
  return value as unknown as AttributeValue;
}
