import { z } from 'zod';
import {
  TypeRegistry,
  type JsonSchema,
  type ObjectTypeSpec,
  type PropertySpec,
} from './json-schema-to-pulumi';
import { RESOURCES, type ResourceSchemaSource } from './resources';

export const PACKAGE_NAME = 'windock';

interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  config: { variables: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, unknown>;
}

function jsonSchema(type: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
}

function resourceSpec(registry: TypeRegistry, source: ResourceSchemaSource): ResourceSpec {
  const inputs = jsonSchema(source.inputs, 'input');
  const inputProperties: Record<string, PropertySpec> = {};
  for (const [key, node] of Object.entries(inputs.properties ?? {})) {
    inputProperties[key] = registry.property(
      node,
      `${source.name}${key.charAt(0).toUpperCase()}${key.slice(1)}`,
    );
    if (source.replaceOnChanges.includes(key)) inputProperties[key].replaceOnChanges = true;
  }
  // Outputs echo every input (normalized) and add the computed ones.
  const outputs = jsonSchema(source.inputFields, 'output');
  const computed = jsonSchema(source.computed, 'output');
  const properties: Record<string, PropertySpec> = {};
  for (const [key, node] of Object.entries({ ...outputs.properties, ...computed.properties })) {
    properties[key] = registry.property(node, `${source.name}${key.charAt(0).toUpperCase()}${key.slice(1)}`);
    if (source.secretOutputs.includes(key)) properties[key].secret = true;
  }
  return {
    description: source.description,
    inputProperties,
    requiredInputs: [...(inputs.required ?? [])].sort(),
    properties,
    required: [...new Set([...(outputs.required ?? []), ...(computed.required ?? [])])].sort(),
  };
}

/** The Pulumi package schema of windock's resources, derived from their zod schemas. Pure. */
export function packageSchema(version: string): PackageSchema {
  const registry = new TypeRegistry(PACKAGE_NAME);
  const resources: Record<string, ResourceSpec> = {};
  for (const source of RESOURCES)
    resources[`${PACKAGE_NAME}:index:${source.name}`] = resourceSpec(registry, source);
  return {
    name: PACKAGE_NAME,
    displayName: 'windock',
    version,
    description:
      'Windows desktops as code: Windows VMs under QEMU/KVM in Docker containers on one or many hosts.',
    keywords: ['pulumi', 'windows', 'qemu', 'kvm', 'docker', 'vm'],
    license: 'Apache-2.0',
    config: {
      variables: {
        hosts: {
          type: 'array',
          items: { $ref: 'pulumi.json#/Any' },
          description:
            'How to reach each Docker host: a list of { name, kind: local | tcp-tls | ssh, ... }. SSH hosts need a pinned hostKey (fingerprint or knownHostsFile).',
        },
        image: { type: 'string', description: 'The windock image VMs run unless they name another.' },
      },
    },
    types: Object.fromEntries(Object.entries(registry.types).sort(([a], [b]) => a.localeCompare(b))),
    resources,
    language: { nodejs: { packageName: 'windock' } },
  };
}
