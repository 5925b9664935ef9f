// A test program for the reliability suite: any number of WindowsVms, WindowsSnapshots and
// GpuAssignments, their arguments from the stack config lists `vms`, `snapshots` and `gpus`
// (each item: { resourceName?, args }). A snapshot's vm/containerName may name a VM of this
// program by its resource name with { fromVm: "<resourceName>" }.
const pulumi = require('@pulumi/pulumi');
const { WindowsVm, WindowsSnapshot, GpuAssignment } = require('windock');

const config = new pulumi.Config();
const vms = {};
for (const item of config.getObject('vms') || []) {
  const name = item.resourceName || item.args.name;
  vms[name] = new WindowsVm(name, item.args);
}
const snapshots = (config.getObject('snapshots') || []).map((item, i) => {
  const args = { ...item.args };
  if (item.fromVm) {
    args.vm = vms[item.fromVm].vmUuid;
    args.containerName = vms[item.fromVm].containerName;
  }
  return new WindowsSnapshot(item.resourceName || `snap-${i}`, args);
});
const gpus = (config.getObject('gpus') || []).map(
  (item, i) => new GpuAssignment(item.resourceName || `gpu-${i}`, item.args),
);

module.exports = {
  containers: Object.values(vms).map((vm) => vm.containerName),
  phases: Object.values(vms).map((vm) => vm.phase),
  snapshots: snapshots.map((s) => s.name),
  gpus: gpus.map((g) => g.assignmentId),
};
