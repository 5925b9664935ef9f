import { createHash } from 'node:crypto';
import { z } from 'zod';
import { vmSpec } from './vm-spec';

/**
 * A digest of the VM spec's shape (its JSON Schema without descriptions), so that a change of
 * shape without a version bump fails a test instead of reaching an older image unannounced.
 */
export function specFingerprint(schema: z.ZodType = vmSpec): string {
  const shape = withoutDescriptions(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }));
  return createHash('sha256').update(canonicalJson(shape)).digest('hex').slice(0, 16);
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description')
      .map(([key, inner]) => [key, withoutDescriptions(inner)]),
  );
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}
