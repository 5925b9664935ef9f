/**
 * Converts the JSON Schema that zod emits for an input or output shape into Pulumi package
 * schema type specs, registering every object type under a stable name. Pure.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface TypeSpec {
  type?: string;
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  oneOf?: TypeSpec[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

export interface PropertySpec extends TypeSpec {
  description?: string;
  default?: unknown;
  secret?: boolean;
  replaceOnChanges?: boolean;
}

export interface ObjectTypeSpec {
  type: 'object';
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

const PRIMITIVES: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
};

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const camel = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(upperFirst)
    .join('');

function describeConstraints(node: JsonSchema): string[] {
  const notes: string[] = [];
  if (node.enum) notes.push(`One of: ${node.enum.map((v) => JSON.stringify(v)).join(', ')}.`);
  if (node.pattern) notes.push(`Pattern: \`${node.pattern}\`.`);
  if (node.minimum !== undefined || node.maximum !== undefined)
    notes.push(`Range: ${node.minimum ?? '…'} to ${node.maximum ?? '…'}.`);
  return notes;
}

export class TypeRegistry {
  readonly types: Record<string, ObjectTypeSpec> = {};

  constructor(private readonly packageName: string) {}

  /** The type of one JSON Schema node; `name` names the object types it defines. */
  typeOf(node: JsonSchema, name: string): TypeSpec {
    const union = node.oneOf ?? node.anyOf;
    if (union) {
      const discriminated = union.every((member) => member.properties?.kind?.const !== undefined);
      if (discriminated) {
        const mapping: Record<string, string> = {};
        const members = union.map((member) => {
          const kind = String(member.properties!.kind!.const);
          const ref = this.objectRef(member, `${name}${camel(kind)}`);
          mapping[kind] = ref.$ref!;
          return ref;
        });
        return { oneOf: members, discriminator: { propertyName: 'kind', mapping } };
      }
      return { oneOf: union.map((member, i) => this.typeOf(member, `${name}${i}`)) };
    }
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (types.length > 1) return { oneOf: types.map((type) => this.typeOf({ ...node, type }, name)) };
    const type = types[0];
    if (type && PRIMITIVES[type]) return { type: PRIMITIVES[type] };
    if (type === 'array') return { type: 'array', items: this.typeOf(node.items ?? {}, `${name}Item`) };
    if (type === 'object' && node.properties) return this.objectRef(node, name);
    if (type === 'object') {
      const values = typeof node.additionalProperties === 'object' ? node.additionalProperties : {};
      return { type: 'object', additionalProperties: this.typeOf(values, `${name}Value`) };
    }
    return { $ref: 'pulumi.json#/Any' };
  }

  property(node: JsonSchema, name: string): PropertySpec {
    const spec: PropertySpec = { ...this.typeOf(node, name) };
    const description = [node.description, ...describeConstraints(node)].filter(Boolean).join(' ');
    if (description) spec.description = description;
    if (node.default !== undefined && typeof node.default !== 'object') spec.default = node.default;
    return spec;
  }

  private objectRef(node: JsonSchema, name: string): TypeSpec {
    const token = `${this.packageName}:index:${name}`;
    const properties: Record<string, PropertySpec> = {};
    for (const [key, child] of Object.entries(node.properties ?? {}))
      properties[key] = this.property(child, `${name}${upperFirst(key)}`);
    this.types[token] = {
      type: 'object',
      ...(node.description ? { description: node.description } : {}),
      properties,
      ...(node.required?.length ? { required: [...node.required].sort() } : {}),
    };
    return { $ref: `#/types/${token}` };
  }
}
