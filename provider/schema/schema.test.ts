import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { generatedFiles } from './generate';
import { RESOURCES } from './resources';

const ROOT = join(__dirname, '..', '..');
const committed = JSON.parse(readFileSync(join(ROOT, 'schema.json'), 'utf8'));

describe('schema.json', () => {
  it('is what the zod schemas generate (run `npm run schema` after changing an input)', () => {
    const files = generatedFiles(ROOT);
    for (const [path, text] of Object.entries(files)) {
      expect({ path, text: readFileSync(join(ROOT, path), 'utf8') }).toEqual({ path, text });
    }
  });

  describe.each(RESOURCES.map((r) => [r.name, r] as const))(
    '%s agrees with its zod schemas field by field',
    (name, source) => {
      const spec = committed.resources[`windock:index:${name}`];
      const inputShape = z.toJSONSchema(source.inputs, { io: 'input', unrepresentable: 'any' }) as {
        properties: object;
        required?: string[];
      };

      it('has every input, and only those', () => {
        expect(Object.keys(spec.inputProperties).sort()).toEqual(Object.keys(inputShape.properties).sort());
      });

      it('requires exactly the inputs zod requires', () => {
        expect(spec.requiredInputs).toEqual([...(inputShape.required ?? [])].sort());
      });

      it('echoes every input as an output and adds every computed output', () => {
        const outputs = Object.keys(spec.properties).sort();
        expect(outputs).toEqual(
          [...new Set([...Object.keys(inputShape.properties), ...Object.keys(source.computed.shape)])].sort(),
        );
      });

      it('marks the replacing inputs and the secret outputs', () => {
        const replacing = Object.entries(spec.inputProperties)
          .filter(([, p]) => (p as { replaceOnChanges?: boolean }).replaceOnChanges)
          .map(([k]) => k);
        expect(replacing.sort()).toEqual([...source.replaceOnChanges].sort());
        const secret = Object.entries(spec.properties)
          .filter(([, p]) => (p as { secret?: boolean }).secret)
          .map(([k]) => k);
        expect(secret.sort()).toEqual([...source.secretOutputs].sort());
      });
    },
  );
});
