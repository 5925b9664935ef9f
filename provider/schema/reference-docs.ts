import type { PropertySpec } from './json-schema-to-pulumi';
import type { PackageSchema } from './package-schema';

function typeName(spec: PropertySpec): string {
  if (spec.$ref) return spec.$ref.replace(/^#\/types\/windock:index:/, '').replace('pulumi.json#/Any', 'any');
  if (spec.oneOf) return spec.oneOf.map((member: PropertySpec) => typeName(member)).join(' | ');
  if (spec.type === 'array' && spec.items) return `${typeName(spec.items)}[]`;
  if (spec.type === 'object' && spec.additionalProperties)
    return `map of ${typeName(spec.additionalProperties)}`;
  return spec.type ?? 'any';
}

function table(properties: Record<string, PropertySpec>, required: string[]): string[] {
  const lines = ['| name | type | required | default | description |', '| --- | --- | --- | --- | --- |'];
  for (const [name, spec] of Object.entries(properties)) {
    const flags = [spec.replaceOnChanges ? '**replaces**' : '', spec.secret ? '**secret**' : '']
      .filter(Boolean)
      .join(' ');
    const description = `${flags ? flags + ' ' : ''}${(spec.description ?? '').replace(/\|/g, '\\|')}`;
    const fallback = spec.default === undefined ? '' : `\`${JSON.stringify(spec.default)}\``;
    lines.push(
      `| \`${name}\` | ${typeName(spec).replace(/\|/g, '\\|')} | ${required.includes(name) ? 'yes' : ''} | ${fallback} | ${description} |`,
    );
  }
  return lines;
}

/** One Markdown reference page per resource, generated from schema.json. */
export function referenceDocs(schema: PackageSchema): Record<string, string> {
  const pages: Record<string, string> = {};
  for (const [token, resource] of Object.entries(schema.resources)) {
    const name = token.split(':').pop()!;
    const lines = [
      `# ${name}`,
      '',
      '<!-- Generated from schema.json by `npm run schema`; do not edit. -->',
      '',
      resource.description,
      '',
      '## Inputs',
      '',
      ...table(resource.inputProperties, resource.requiredInputs),
      '',
      '## Outputs',
      '',
      ...table(resource.properties, resource.required),
      '',
      '## Types',
      '',
    ];
    for (const [typeToken, type] of Object.entries(schema.types)) {
      const typeShort = typeToken.split(':').pop()!;
      if (!typeShort.startsWith(name)) continue;
      lines.push(`### ${typeShort}`, '', ...table(type.properties, type.required ?? []), '');
    }
    pages[`${name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.md`] = lines.join('\n');
  }
  return pages;
}
