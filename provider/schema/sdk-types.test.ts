import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sdkTypesFiles } from './sdk-types';
import { TypeScriptTypes, docComment, nodeAt } from './typescript-types';

const ROOT = join(__dirname, '..', '..');

describe('sdk/generated', () => {
  it.each(Object.entries(sdkTypesFiles()))(
    '%s is what the zod schemas generate (run `npm run schema` after changing an input)',
    (path, text) => {
      expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
    },
  );
});

describe('TypeScript types from JSON Schema', () => {
  const object = {
    type: 'object',
    properties: {
      kind: { type: 'string', const: 'disk' },
      size: { type: ['string', 'number'], description: 'Like "8GiB".' },
      tags: { type: 'array', items: { type: 'string' }, default: [] },
    },
    required: ['kind', 'size'],
  };

  it('wraps every input in In<> but the kind literal, with docs and defaults', () => {
    const types = new TypeScriptTypes('input');
    expect(types.members(object, '  ')).toEqual([
      "  kind: 'disk';",
      '  /** Like "8GiB". */',
      '  size: In<string | number>;',
      '  /** @default [] */',
      '  tags?: In<In<string>[]>;',
    ]);
  });

  it('names a node and every equal node, and takes overrides as given', () => {
    const properties = {
      a: { anyOf: [object, { type: 'null' }] },
      b: object,
      c: { type: 'string', enum: ['x', 'y'] },
    };
    const types = new TypeScriptTypes('output', { 'a|0': 'Disk' }, { c: 'string' });
    expect(types.namedTypes(properties).map((t) => t.name)).toEqual(['Disk']);
    expect(types.type(properties.a, '')).toBe('Disk | null');
    expect(types.type(properties.b, '')).toBe('Disk');
    expect(types.type(properties.c, '')).toBe('string');
  });

  it('finds nodes by path', () => {
    const properties = { ports: { type: 'array', items: object } };
    expect(nodeAt(properties, 'ports[].size')).toBe(object.properties.size);
    expect(nodeAt(properties, 'missing')).toBeUndefined();
  });

  it('wraps doc comments to the page and keeps "*/" out of them', () => {
    expect(docComment(undefined, '')).toEqual([]);
    expect(docComment('a */ b', '')).toEqual(['/** a *\\/ b */']);
    const long = docComment('word '.repeat(40), '  ');
    expect(long[0]).toBe('  /**');
    expect(long.every((line) => line.length <= 100)).toBe(true);
  });
});
