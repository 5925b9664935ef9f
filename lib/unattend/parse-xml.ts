import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A node of fast-xml-parser's ordered output: `{ name: children, ':@': attributes }`. */
export type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  ignoreAttributes: false,
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

const isMarkup = (node: Ordered): boolean => !('#text' in node) && !('#comment' in node);

export const nameOf = (node: Ordered): string => Object.keys(node).find((k) => k !== ':@')!;

export const attrsOf = (node: Ordered): Record<string, string> =>
  Object.fromEntries(Object.entries(node[':@'] ?? {}).map(([k, v]) => [k.replace(/^@_/, ''), String(v)]));

/** Child nodes without comments (text nodes stay: a container holding text is a mistake). */
export const childrenOf = (node: Ordered): Ordered[] =>
  ((node[nameOf(node)] as Ordered[]) ?? []).filter((c) => !('#comment' in c));

/** Child elements only. */
export const elementsOf = (node: Ordered): Ordered[] => childrenOf(node).filter(isMarkup);

/** The text of a leaf ('' when empty), or undefined when it holds elements. */
export function textOf(node: Ordered): string | undefined {
  const children = childrenOf(node);
  if (children.length === 0) return '';
  if (children.every((c) => '#text' in c)) return children.map((c) => String(c['#text'])).join('');
  return undefined;
}

/** The first child element of this name. */
export const childNamed = (node: Ordered, name: string): Ordered | undefined =>
  elementsOf(node).find((c) => nameOf(c) === name);

export type ParsedXml = { ok: true; root: Ordered } | { ok: false; line: number; message: string };

/** Parses a well-formed document with one root element (a real parser: not a regex). */
export function parseXml(xml: string): ParsedXml {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true)
    return { ok: false, line: wellFormed.err.line, message: `not well-formed XML: ${wellFormed.err.msg}` };
  const roots = (parser.parse(xml) as Ordered[]).filter(isMarkup);
  if (roots.length !== 1) return { ok: false, line: 1, message: 'not an XML document with one root element' };
  return { ok: true, root: roots[0]! };
}

/**
 * The text of an answer file's bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with
 * one (Windows System Image Manager and Notepad write both). Undefined when it is neither.
 */
export function decodeXmlBytes(bytes: Uint8Array): string | undefined {
  const [a, b] = [bytes[0], bytes[1]];
  const encoding = a === 0xff && b === 0xfe ? 'utf-16le' : a === 0xfe && b === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
