import { z } from 'zod';
import type { JsonSchema } from './json-schema-to-pulumi';
import { RESOURCES, type ResourceSchemaSource } from './resources';
import { SDK_TYPES, type SdkTypesSource } from './sdk-sources';
import { TypeScriptTypes, docComment } from './typescript-types';

function jsonSchema(type: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The inputs as the program passes them: the SDK's own inputs hidden, its filled ones optional. */
function argsNode(inputs: JsonSchema, sdk: SdkTypesSource): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(inputs.properties ?? {}).filter(([key]) => !sdk.hidden.includes(key)),
  );
  const required = (inputs.required ?? []).filter(
    (key) => !sdk.hidden.includes(key) && !sdk.filled.includes(key),
  );
  return { ...inputs, properties, required };
}

function argsText(source: ResourceSchemaSource, sdk: SdkTypesSource): string[] {
  const inputs = argsNode(jsonSchema(source.inputs, 'input'), sdk);
  const types = new TypeScriptTypes('input', sdk.names, sdk.overrides);
  const named = types.namedTypes(inputs.properties ?? {});
  return [
    ...named.flatMap(({ name, node }) => [types.definition(name, node), '']),
    `/** The inputs of ${source.name}, as the program passes them. */`,
    `export interface ${source.name}Args {`,
    ...types.members(inputs, '  '),
    '}',
  ];
}

function outputsText(source: ResourceSchemaSource): string[] {
  const computed = jsonSchema(source.computed, 'output');
  const types = new TypeScriptTypes('output');
  const declarations = Object.entries(computed.properties ?? {}).flatMap(([key, node]) => [
    ...docComment(node.description, '  '),
    `  declare readonly ${key}: pulumi.Output<${types.type(node, '  ')}>;`,
  ]);
  const prefix = lowerFirst(source.name);
  return [
    `/** The outputs ${source.name} computes (beside its inputs, which it echoes). */`,
    `export abstract class ${source.name}Outputs extends pulumi.dynamic.Resource {`,
    ...declarations,
    '}',
    '',
    '/** Their names: the SDK registers each, so that each is an output of the resource. */',
    `export const ${prefix}OutputNames = ${JSON.stringify(Object.keys(computed.properties ?? {}))} as const;`,
  ];
}

function secretsText(source: ResourceSchemaSource): string[] {
  const prefix = lowerFirst(source.name);
  const lines: string[] = [];
  if (source.secretOutputs.length > 0)
    lines.push(
      '',
      '/** Outputs that carry secrets derived from nothing secret in the inputs. */',
      `export const ${prefix}SecretOutputs = ${JSON.stringify(source.secretOutputs)} as const;`,
    );
  if (Object.keys(source.secretInputFields).length > 0)
    lines.push(
      '',
      '/** Input fields that carry passwords or keys, by input: secret whatever the program passed. */',
      `export const ${prefix}SecretInputFields = ${JSON.stringify(source.secretInputFields)} as const;`,
    );
  return lines;
}

/** The text of sdk/generated/<file>.ts for one resource. */
export function sdkTypesFile(source: ResourceSchemaSource, sdk: SdkTypesSource): string {
  return [
    `// ${source.name}'s inputs and outputs for the SDK, generated from its zod schemas (the source of`,
    '// schema.json) by `npm run schema`; do not edit. provider/schema/sdk-types.test.ts fails when this',
    "// file is stale, and sdk/types-agree.ts does not compile when its types differ from zod's.",
    "import * as pulumi from '@pulumi/pulumi';",
    '',
    'type In<T> = pulumi.Input<T>;',
    '',
    ...argsText(source, sdk),
    '',
    ...outputsText(source),
    ...secretsText(source),
    '',
  ].join('\n');
}

/** Every SDK types file, by its path from the repository root. */
export function sdkTypesFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const sdk of SDK_TYPES) {
    const source = RESOURCES.find((r) => r.name === sdk.resource);
    if (!source) throw new Error(`SDK types for an unknown resource ${sdk.resource}`);
    files[`sdk/generated/${sdk.file}.ts`] = sdkTypesFile(source, sdk);
  }
  return files;
}
