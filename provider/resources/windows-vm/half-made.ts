/** The dynamic-provider host's key for the serialized provider, in every resource's state. */
export const PROVIDER_KEY = '__provider';

/**
 * The properties of a half-made VM (a create that throws with `id` and `properties` keeps it in
 * state). Pulumi's dynamic-provider host adds its `__provider` key to the outputs of a
 * successful create only: without it here, every later refresh, update or destroy of the
 * half-made VM failed with "code must be a string, not undefined", and it could never be removed.
 */
export function withProviderKey(
  outs: object,
  inputs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const provider = inputs?.[PROVIDER_KEY];
  return provider === undefined ? { ...outs } : { ...outs, [PROVIDER_KEY]: provider };
}

/** An error that keeps a half-made VM in state (the engine records id and properties). */
export function halfMade(error: unknown, id: string, properties: Record<string, unknown>): Error {
  const wrapped = new Error(
    `${(error as Error).message}\nThe VM was created but is not ready; it stays in state: fix the cause and run \`pulumi up\` again, or destroy it.`,
  );
  Object.assign(wrapped, { id, properties, reasons: [(error as Error).message] });
  return wrapped;
}
