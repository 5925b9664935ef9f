export { WindowsVm } from './windows-vm';
export type {
  WindowsVmArgs,
  WindowsVmDrivers,
  WindowsVmMedia,
  WindowsVmOwnAnswerFile,
  WindowsVmPort,
  WindowsVmUnattend,
  WindowsVmUnattendSettings,
} from './windows-vm';
export { GpuAssignment, type GpuAssignmentArgs, type GpuSelector } from './gpu-assignment';
export { WindowsSnapshot, type WindowsSnapshotArgs } from './windows-snapshot';
