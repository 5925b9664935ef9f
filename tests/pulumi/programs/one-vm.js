// A test program: one WindowsVm whose arguments come whole from the stack config `vm`.
const pulumi = require('@pulumi/pulumi');
const { WindowsVm } = require('windock');

const config = new pulumi.Config();
const vm = new WindowsVm(config.get('resourceName') || 'vm', config.requireObject('vm'));

module.exports = {
  containerId: vm.containerId,
  containerName: vm.containerName,
  volumeName: vm.volumeName,
  phase: vm.phase,
  changeImpact: vm.changeImpact,
  publishedPorts: vm.publishedPorts,
  consoleUrl: vm.consoleUrl,
  vmUuid: vm.vmUuid,
};
