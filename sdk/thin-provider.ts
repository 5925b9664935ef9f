import type * as dynamic from '@pulumi/pulumi/dynamic';

type Implementation = Required<dynamic.ResourceProvider>;

/**
 * The provider object Pulumi serializes into state for one resource type. It must stay tiny and
 * stable: each method loads the compiled implementation from the installed `windock` package at
 * call time, so no implementation code, client, socket or credential is captured in the closure,
 * and the state does not change when the implementation does. `load` must be a literal
 * `require('windock/...')`: the closure serializer only resolves literal module paths.
 */
export function thinProvider(load: () => Implementation): dynamic.ResourceProvider {
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

export const windowsVmThinProvider = thinProvider(
  () => require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider,
);
export const windowsSnapshotThinProvider = thinProvider(
  () => require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider,
);
export const gpuAssignmentThinProvider = thinProvider(
  () => require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider,
);
