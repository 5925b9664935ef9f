import { XMLBuilder } from 'fast-xml-parser';

/** An element of the answer file: a name, attributes, and either text or child elements. */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlElement[];
}

/** `el('Name', 'text')`, `el('Name', [children])`, `el('Name', {attr}, [children])`. */
export function el(
  name: string,
  content?: string | number | boolean | XmlElement[],
  attrs?: Record<string, string>,
): XmlElement {
  if (Array.isArray(content)) return { name, attrs, children: content };
  return { name, attrs, text: content === undefined ? undefined : String(content) };
}

type OrderedNode = Record<string, unknown>;

function toOrdered(element: XmlElement): OrderedNode {
  const body: unknown[] =
    element.text !== undefined ? [{ '#text': element.text }] : (element.children ?? []).map(toOrdered);
  const node: OrderedNode = { [element.name]: body };
  if (element.attrs && Object.keys(element.attrs).length > 0) {
    node[':@'] = Object.fromEntries(Object.entries(element.attrs).map(([k, v]) => [`@_${k}`, v]));
  }
  return node;
}

// The library escapes every text and attribute value (&, <, >, ", '): a hostile value such as
// `</Value><x>` stays text.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  preserveOrder: true,
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

/** The document as UTF-8 XML text with its declaration. */
export function renderXml(root: XmlElement): string {
  const declaration = { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'utf-8' } };
  return (builder.build([declaration, toOrdered(root)]) as string).trimStart();
}
