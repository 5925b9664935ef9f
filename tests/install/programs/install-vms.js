// A test program: WindowsVms installed from media, their arguments from the stack config `vms`
// (a list). Each VM with `unattend` gets its admin password read from the file the config
// `adminPasswordFile` names (so the password is in no config, argv or env), as a PLAIN string:
// the SDK must mark it secret itself (issue 15), or it would land in the state's inputs.
const { readFileSync } = require('node:fs');
const pulumi = require('@pulumi/pulumi');
const { WindowsVm } = require('windock');

const config = new pulumi.Config();
const adminPassword = readFileSync(config.require('adminPasswordFile'), 'utf8').trim();
const vms = config
  .requireObject('vms')
  .map(
    (args) =>
      new WindowsVm(
        args.name,
        args.unattend ? { ...args, unattend: { ...args.unattend, adminPassword } } : args,
      ),
  );

module.exports = {
  containers: vms.map((vm) => vm.containerName),
  phases: vms.map((vm) => vm.phase),
  volumes: vms.map((vm) => vm.volumeName),
};
