import type * as dynamic from '@pulumi/pulumi/dynamic';

/**
 * GpuAssignment's serialized provider: tiny and stable, like sdk/thin-provider.ts. Each method
 * requires the compiled implementation at call time (a literal module path), so no code,
 * client or credential is captured in state.
 */
export const gpuAssignmentThinProvider: dynamic.ResourceProvider = {
  configure: (req) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.configure(req),
  check: (olds, news) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.check(
      olds,
      news,
    ),
  diff: (id, olds, news) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.diff(
      id,
      olds,
      news,
    ),
  create: (inputs) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.create(inputs),
  read: (id, props) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.read(id, props),
  update: (id, olds, news) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.update(
      id,
      olds,
      news,
    ),
  delete: (id, props) =>
    require('windock/dist/provider/resources/gpu-assignment/provider').gpuAssignmentProvider.delete(
      id,
      props,
    ),
};
