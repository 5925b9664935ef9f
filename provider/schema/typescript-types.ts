import type { JsonSchema } from './json-schema-to-pulumi';

/**
 * Writes TypeScript types from the JSON Schema that zod emits, for the SDK. Input mode wraps
 * every property in `In<...>` (pulumi.Input) as users pass them, except a union member's `kind`
 * literal, which must be plain to select the member. Pure.
 */
export type TypeMode = 'input' | 'output';

/** Where a node sits under a resource's properties: `ports[]`, `unattend|1`, `media|2.version`. */
export type NodePath = string;

const INDENT = '  ';
const WIDTH = 100;

function literal(value: unknown): string {
  return typeof value === 'string'
    ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : JSON.stringify(value);
}

function validKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : literal(key);
}

/** A doc comment, wrapped to the page width at this indent, with its tags; nothing if empty. */
export function docComment(text: string | undefined, indent: string, tags: string[] = []): string[] {
  const lines = [...wrap(text ?? '', WIDTH - indent.length - 3), ...tags];
  if (lines.length === 0) return [];
  if (lines.length === 1 && indent.length + 7 + lines[0].length <= WIDTH)
    return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function wrap(text: string, width: number): string[] {
  const words = text.replace(/\*\//g, '*\\/').split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** The `@default` tag of a node with a default. */
function defaultTag(node: JsonSchema): string[] {
  return node.default === undefined ? [] : [`@default ${JSON.stringify(node.default)}`];
}

function isObject(node: JsonSchema): boolean {
  return node.type === 'object' && node.properties !== undefined && !unionMembers(node);
}

function unionMembers(node: JsonSchema): JsonSchema[] | undefined {
  return node.oneOf ?? node.anyOf;
}

/** A union member's `kind` literal: plain, so that it selects the member. */
function isDiscriminant(key: string, node: JsonSchema): boolean {
  return key === 'kind' && node.const !== undefined;
}

export class TypeScriptTypes {
  private readonly byShape = new Map<string, string>();

  /**
   * `names` gives some nodes a type name of their own; equal nodes elsewhere reuse it.
   * `overrides` types some nodes as given (where zod's type is wider than the JSON Schema).
   */
  constructor(
    private readonly mode: TypeMode,
    private readonly names: Record<NodePath, string> = {},
    private readonly overrides: Record<NodePath, string> = {},
  ) {}

  /** The named types under these properties, in the order `names` lists them. */
  namedTypes(properties: Record<string, JsonSchema>): Array<{ name: string; node: JsonSchema }> {
    const found: Array<{ name: string; node: JsonSchema }> = [];
    for (const [path, name] of Object.entries(this.names)) {
      const node = nodeAt(properties, path);
      if (!node) throw new Error(`no node at ${path} for the SDK type ${name}`);
      found.push({ name, node });
    }
    for (const { name, node } of found) this.byShape.set(JSON.stringify(node), name);
    for (const [path, type] of Object.entries(this.overrides)) {
      const node = nodeAt(properties, path);
      if (!node) throw new Error(`no node at ${path} for the SDK type override ${type}`);
      this.byShape.set(JSON.stringify(node), type);
    }
    return found;
  }

  /** The text of a named type's definition (an interface for an object), with its doc comment. */
  definition(name: string, node: JsonSchema): string {
    const body = this.body(node, '');
    const declaration = isObject(node)
      ? `export interface ${name} ${body}`
      : `export type ${name} = ${body};`;
    return [...docComment(node.description, ''), declaration].join('\n');
  }

  /** The members of an object node, one per line, each with its doc comment. */
  members(node: JsonSchema, indent: string): string[] {
    const required = new Set(node.required ?? []);
    const lines: string[] = [];
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const optional = required.has(key) ? '' : '?';
      const type = isDiscriminant(key, child) ? this.type(child, indent) : this.wrapped(child, indent);
      lines.push(
        ...docComment(child.description, indent, defaultTag(child)),
        `${indent}${validKey(key)}${optional}: ${type};`,
      );
    }
    return lines;
  }

  /** A node's type, In<>-wrapped in input mode. */
  wrapped(node: JsonSchema, indent: string): string {
    const type = this.type(node, indent);
    return this.mode === 'input' ? `In<${type}>` : type;
  }

  /** A node's type: its name where it has one, else its structure. */
  type(node: JsonSchema, indent: string): string {
    return this.byShape.get(JSON.stringify(node)) ?? this.body(node, indent);
  }

  private body(node: JsonSchema, indent: string): string {
    const members = unionMembers(node);
    if (members) return this.union(members, indent);
    if (node.const !== undefined) return literal(node.const);
    if (node.enum) return node.enum.map(literal).join(' | ');
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (types.length > 1) return types.map((type) => this.body({ ...node, type }, indent)).join(' | ');
    return this.single(node, types[0], indent);
  }

  private single(node: JsonSchema, type: string | undefined, indent: string): string {
    if (type === 'string' || type === 'boolean' || type === 'null') return type;
    if (type === 'integer' || type === 'number') return 'number';
    if (type === 'array') return this.array(node.items ?? {}, indent);
    if (type === 'object' && node.properties) return this.object(node, indent);
    if (type === 'object') {
      const values = typeof node.additionalProperties === 'object' ? node.additionalProperties : {};
      return `Record<string, ${this.wrapped(values, indent)}>`;
    }
    return 'unknown';
  }

  private array(items: JsonSchema, indent: string): string {
    const item = this.wrapped(items, indent);
    return /^[\w<>, ]+$/.test(item) || item.startsWith('In<') ? `${item}[]` : `Array<${item}>`;
  }

  private object(node: JsonSchema, indent: string): string {
    return ['{', ...this.members(node, indent + INDENT), `${indent}}`].join('\n');
  }

  private union(members: JsonSchema[], indent: string): string {
    return [...new Set(members.map((member) => this.type(member, indent)))].join(' | ');
  }
}

/** The node at a path (`ports[]`, `unattend|1`, `media|2.version`) under an object's properties. */
export function nodeAt(properties: Record<string, JsonSchema>, path: NodePath): JsonSchema | undefined {
  const steps = path.match(/[^.[|\]]+|\[\]|\|\d+/g) ?? [];
  let node: JsonSchema | undefined = { properties };
  for (const step of steps) {
    if (!node) return undefined;
    if (step === '[]') node = node.items;
    else if (step.startsWith('|')) node = unionMembers(node)?.[Number(step.slice(1))];
    else node = node.properties?.[step];
  }
  return node;
}
