// A test program: several WindowsVms, their arguments from the stack config `vms` (a list), and,
// when the config `golden` is set, a memory snapshot of the VM `golden.vm` (an index into `vms`)
// with `golden.clones` linked clones of it (arguments `golden.cloneArgs`) on that VM's host.
const pulumi = require('@pulumi/pulumi');
const { WindowsVm, WindowsSnapshot } = require('windock');

const config = new pulumi.Config();
const vms = config.requireObject('vms').map((args) => new WindowsVm(args.name, args));
const golden = config.getObject('golden');
const clones = [];
if (golden) {
  const source = vms[golden.vm];
  const args = config.requireObject('vms')[golden.vm];
  // The snapshot takes the VM's UUID, container and host from the VM itself.
  const snapshot = new WindowsSnapshot('golden', { vm: source, name: 'golden', memory: true });
  for (let i = 1; i <= golden.clones; i++) {
    clones.push(
      new WindowsVm(`clone-${i}`, {
        ...golden.cloneArgs,
        name: `${args.name}-c${i}`,
        host: args.host,
        cloneFrom: { container: source.containerName, snapshot: snapshot.name },
      }),
    );
  }
}

module.exports = {
  containers: vms.map((vm) => vm.containerName),
  phases: vms.map((vm) => vm.phase),
  clones: clones.map((clone) => clone.containerId),
};
