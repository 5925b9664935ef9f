export { WindowsVm } from './windows-vm';
export type { WindowsVmArgs, WindowsVmMedia, WindowsVmPort } from './windows-vm';
export { WindowsSnapshot, type WindowsSnapshotArgs } from './windows-snapshot';
