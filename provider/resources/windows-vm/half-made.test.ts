import { withProviderKey } from './half-made';

// Found by tests/reliability/local-faults.test.ts: a VM whose create timed out stayed in state
// without `__provider`, so refresh and destroy of it failed ("code must be a string").
describe('withProviderKey', () => {
  it('carries the serialized provider from the create inputs into the half-made properties', () => {
    const props = withProviderKey(
      { phase: 'failed', containerName: 'windock-a' },
      { name: 'a', __provider: 'exports.handler = ...' },
    );
    expect(props).toEqual({
      phase: 'failed',
      containerName: 'windock-a',
      __provider: 'exports.handler = ...',
    });
  });

  it('adds nothing when there is no provider key (a direct call)', () => {
    expect(withProviderKey({ phase: 'failed' }, {})).toEqual({ phase: 'failed' });
    expect(withProviderKey({ phase: 'failed' }, undefined)).toEqual({ phase: 'failed' });
  });
});
