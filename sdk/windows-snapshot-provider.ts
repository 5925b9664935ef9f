import type * as dynamic from '@pulumi/pulumi/dynamic';

/**
 * The serialized provider of WindowsSnapshot: tiny and stable, like `windowsVmThinProvider`
 * (sdk/thin-provider.ts). Each method requires the compiled implementation at call time; the
 * module path is a literal, so the closure captures nothing but a string.
 */
export const windowsSnapshotThinProvider: dynamic.ResourceProvider = {
  configure: (req) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.configure(
      req,
    ),
  check: (olds, news) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.check(
      olds,
      news,
    ),
  diff: (id, olds, news) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.diff(
      id,
      olds,
      news,
    ),
  create: (inputs) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.create(
      inputs,
    ),
  read: (id, props) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.read(
      id,
      props,
    ),
  update: (id, olds, news) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.update(
      id,
      olds,
      news,
    ),
  delete: (id, props) =>
    require('windock/dist/provider/resources/windows-snapshot/provider').windowsSnapshotProvider.delete(
      id,
      props,
    ),
};
