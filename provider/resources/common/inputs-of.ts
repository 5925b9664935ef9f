/**
 * Input recovery for a resource whose outputs echo its inputs plus computed keys: the function
 * that takes old outputs (or old check results) back to inputs by dropping the computed keys.
 */
export function inputsWithout(computed: {
  shape: Record<string, unknown>;
}): (values: Record<string, unknown>) => Record<string, unknown> {
  const keys = Object.keys(computed.shape);
  return (values) => {
    const inputs = { ...values };
    for (const key of keys) delete inputs[key];
    // The dynamic provider host's own key (the serialized provider); it adds it back itself.
    delete inputs.__provider;
    return inputs;
  };
}
