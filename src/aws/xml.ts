/** A value for an XML element: text, a number or boolean, nested elements, or nothing (left out). */
export type XmlValue = string | number | boolean | undefined | XmlNode | Array<XmlNode | string>;
export interface XmlNode {
  [name: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\n]/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
};

/** Elements in the order of the object's keys; an array repeats its element once per item. */
export function toXml(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      const inner = typeof item === 'object' ? toXml(item) : escapeXml(String(item));
      out += inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
    }
  }
  return out;
}
