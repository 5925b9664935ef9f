// A test program: a source VM (stack config `vm`), a memory snapshot of it and `clones` linked
// clones of that snapshot: what a reviewer reads previews of when the source VM changes.
const pulumi = require('@pulumi/pulumi');
const { WindowsVm, WindowsSnapshot } = require('windock');

const config = new pulumi.Config();
const vmArgs = config.requireObject('vm');
const source = new WindowsVm('source', vmArgs);
// The VM itself: the snapshot takes its vmUuid, containerName and host from it.
const snapshot = new WindowsSnapshot('ready', {
  vm: source,
  name: 'ready',
  memory: true,
});
const cloneArgs = config.requireObject('clone');
const clones = Array.from(
  { length: config.requireNumber('clones') },
  (_, i) =>
    new WindowsVm(`clone-${i + 1}`, {
      ...cloneArgs,
      name: `${vmArgs.name}-c${i + 1}`,
      cloneFrom: { container: source.containerName, snapshot: snapshot.name },
    }),
);

module.exports = {
  sourceUuid: source.vmUuid,
  snapshotCreatedAt: snapshot.createdAt,
  cloneContainers: clones.map((clone) => clone.containerId),
};
