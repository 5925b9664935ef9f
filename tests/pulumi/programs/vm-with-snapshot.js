// A test program: one WindowsVm (stack config `vm`) and, when the config `snapshot` is set, a
// WindowsSnapshot of it with those arguments.
const pulumi = require('@pulumi/pulumi');
const { WindowsVm, WindowsSnapshot } = require('windock');

const config = new pulumi.Config();
const vm = new WindowsVm('vm', config.requireObject('vm'));
const snapshotArgs = config.getObject('snapshot');
const snapshot = snapshotArgs
  ? new WindowsSnapshot('snap', {
      vm: vm.vmUuid,
      containerName: vm.containerName,
      host: 'local',
      ...snapshotArgs,
    })
  : undefined;

module.exports = {
  containerName: vm.containerName,
  vmUuid: vm.vmUuid,
  snapshotName: snapshot ? snapshot.name : '',
  vmStateBytes: snapshot ? snapshot.vmStateBytes : 0,
  hardwareHash: snapshot ? snapshot.hardwareHash : '',
};
