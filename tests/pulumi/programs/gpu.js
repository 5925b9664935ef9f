// A test program: one GpuAssignment whose arguments come whole from the stack config `gpu`.
const pulumi = require('@pulumi/pulumi');
const { GpuAssignment } = require('windock');

const config = new pulumi.Config();
const gpu = new GpuAssignment(config.get('resourceName') || 'gpu', config.requireObject('gpu'));

module.exports = {
  assignmentId: gpu.assignmentId,
  pciAddress: gpu.pciAddress,
  targets: gpu.targets,
  lockContainers: gpu.lockContainers,
  iommuGroups: gpu.iommuGroups,
  reservation: gpu.reservation,
};
