// A test program: several WindowsVms, their arguments from the stack config `vms` (a list).
const pulumi = require('@pulumi/pulumi');
const { WindowsVm } = require('windock');

const config = new pulumi.Config();
const vms = config.requireObject('vms').map((args) => new WindowsVm(args.name, args));

module.exports = {
  containers: vms.map((vm) => vm.containerName),
  phases: vms.map((vm) => vm.phase),
};
