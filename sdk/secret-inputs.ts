import * as pulumi from '@pulumi/pulumi';

type In<T> = pulumi.Input<T>;

/** Marks a value secret; a value already known to be secret (or absent) stays as it is. */
function secret<T>(value: In<T> | undefined): In<T> | undefined {
  return value === undefined ? undefined : (pulumi.secret(value) as In<T>);
}

/** A value whose fields cannot be seen before it resolves (an Output or a Promise). */
function opaque(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * Marks the named fields of an input object secret, whatever the user passed (a plain string
 * too), so they are encrypted in state and hidden in previews. An object that is itself an
 * Output is marked secret whole: its fields cannot be reached before it resolves.
 */
export function secretFields<T extends object>(
  value: In<T> | undefined,
  fields: Array<keyof T>,
): In<T> | undefined {
  if (value === undefined) return undefined;
  if (opaque(value)) return pulumi.secret(value) as In<T>;
  const plain = { ...(value as T) };
  for (const field of fields) {
    if (plain[field] !== undefined) plain[field] = secret(plain[field] as In<unknown>) as T[keyof T];
  }
  return plain;
}
