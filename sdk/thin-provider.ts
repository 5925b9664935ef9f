import type * as dynamic from '@pulumi/pulumi/dynamic';

/**
 * The provider object Pulumi serializes into state. It must stay tiny and stable: each method
 * requires the compiled implementation from the installed `windock` package at call time, so no
 * implementation code, client, socket or credential is captured in the closure (and the state
 * does not change when the implementation does). The module path is a literal on purpose:
 * closure serialization must see nothing but a string.
 */
export const windowsVmThinProvider: dynamic.ResourceProvider = {
  configure: (req) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.configure(req),
  check: (olds, news) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.check(olds, news),
  diff: (id, olds, news) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.diff(id, olds, news),
  create: (inputs) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.create(inputs),
  read: (id, props) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.read(id, props),
  update: (id, olds, news) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.update(id, olds, news),
  delete: (id, props) =>
    require('windock/dist/provider/resources/windows-vm/provider').windowsVmProvider.delete(id, props),
};
