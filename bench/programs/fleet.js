// The benchmark's fleet: WindowsVms whose arguments come from the stack config `vms` (a list).
const pulumi = require('@pulumi/pulumi');
const { WindowsVm } = require('windock');

const config = new pulumi.Config();
const vms = (config.getObject('vms') || []).map((args) => new WindowsVm(args.name, args));

module.exports = { count: vms.length };
